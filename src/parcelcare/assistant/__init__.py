"""The auto-responder: understand customer messages (offline models trained on data/) and
answer them from live tracking facts, or leave a draft for an agent."""
