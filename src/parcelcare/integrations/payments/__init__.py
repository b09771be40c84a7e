"""Refund payouts through payment providers and shop platforms (Stripe, Mollie, PayPal,
WooCommerce, Shopify), each behind one interface; HTTP only, no Django models."""
