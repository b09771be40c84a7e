"""Agent page: download a case's dispute dossier as a PDF (viewers too), scoped to the shop."""

from django.http import Http404, HttpRequest, HttpResponse

from parcelcare import clock
from parcelcare.accounts.models import Shop
from parcelcare.tracking.views import agent_page

from .dossier_pdf import pdf_response
from .models import Case


@agent_page
def dossier_pdf(request: HttpRequest, shop: Shop, case_id: int) -> HttpResponse:
    """The dossier PDF of one of the shop's cases; another shop's case is not found."""
    case = Case.objects.filter(shop=shop, pk=case_id).first()
    if case is None:
        raise Http404("no such case")
    return pdf_response(case, clock.now(), request.GET.get("lang", ""))
