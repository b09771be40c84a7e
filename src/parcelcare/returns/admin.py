"""Back-office views of returns and their settings (read-mostly)."""

from django.contrib import admin

from .models import Feedback, ReturnRequest, ReturnSettings

admin.site.register(ReturnSettings)
admin.site.register(ReturnRequest, list_display=("rma", "shop", "status", "reason", "created_at"))
admin.site.register(Feedback, list_display=("shop", "reason", "carrier", "score", "answered_at"))
