"""Render a message kind for a channel and a context: subject, plain text and HTML e-mail.

Templates live in templates/messages/<kind>/<language>.<channel>.txt; an e-mail's first line is
`Subject: …`, WhatsApp reuses the SMS text, and HTML e-mail wraps the text in _layout.html.
Languages fall back from the customer's to the shop's to English; the result names the one used.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.template import Context, Engine, Template, TemplateDoesNotExist, TemplateSyntaxError
from django.template.base import Node, VariableNode
from django.template.defaulttags import DebugNode, ForNode, WithNode
from django.template.loader_tags import ExtendsNode, IncludeNode

from parcelcare.accounts.branding import colour, ink, safe_logo
from parcelcare.domain.notify_policy import (
    AUDIENCE,
    CASE_KINDS,
    RETURN_KINDS,
    Audience,
    Channel,
    MessageKind,
)
from parcelcare.domain.vocabulary import LANGUAGES

from .context import VARIABLES, MessageContext

TEMPLATES = Path(__file__).resolve().parent / "templates"
LAYOUT = "messages/_layout.html"
FILE_CHANNEL = {Channel.EMAIL: "email", Channel.SMS: "sms", Channel.WHATSAPP: "sms"}
"""The template file each channel reads: WhatsApp says what the SMS says."""
FORBIDDEN = (DebugNode, IncludeNode, ExtendsNode)
"""Tags a shop's override may not use: they would reach past the message's own variables."""

WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "track": "Volg je pakket",
        "case": "Bekijk je melding",
        "return": "Bekijk je retour",
        "unsubscribe": "Afmelden",
        "unsubscribe_text": "Liever geen e-mails meer over je zendingen? Afmelden: {url}",
        "customer": "Je ontvangt deze e-mail omdat je een bestelling hebt geplaatst bij {shop}.",
        "merchant": "Je ontvangt deze e-mail omdat parcelcare de zendingen van {shop} bewaakt.",
    },
    "de": {
        "track": "Sendung verfolgen",
        "case": "Anfrage ansehen",
        "return": "Rücksendung ansehen",
        "unsubscribe": "Abmelden",
        "unsubscribe_text": "Keine E-Mails mehr zu Ihren Sendungen? Hier abmelden: {url}",
        "customer": "Sie erhalten diese E-Mail, weil Sie bei {shop} bestellt haben.",
        "merchant": (
            "Sie erhalten diese E-Mail, weil parcelcare die Sendungen von {shop} überwacht."
        ),
    },
    "en": {
        "track": "Track your parcel",
        "case": "View your case",
        "return": "View your return",
        "unsubscribe": "Unsubscribe",
        "unsubscribe_text": "Rather not get emails about your deliveries? Unsubscribe: {url}",
        "customer": "You\u2019re receiving this email because you placed an order with {shop}.",
        "merchant": (
            "You\u2019re receiving this email because parcelcare watches {shop}\u2019s shipments."
        ),
    },
    "fr": {
        "track": "Suivre votre colis",
        "case": "Voir votre dossier",
        "return": "Voir votre retour",
        "unsubscribe": "Se désabonner",
        "unsubscribe_text": (
            "Vous ne souhaitez plus recevoir d\u2019e-mails sur vos livraisons\u00a0? "
            "Désabonnez-vous\u00a0: {url}"
        ),
        "customer": "Vous recevez cet e-mail car vous avez passé commande chez {shop}.",
        "merchant": "Vous recevez cet e-mail car parcelcare surveille les envois de {shop}.",
    },
}
"""The layout's own words: the button when the text names none, and the footer."""


class MissingTemplate(LookupError):
    """No template for a kind and channel in any language of the fallback chain."""


@dataclass(frozen=True)
class Rendered:
    """One rendered message; `subject` and `html` are empty outside e-mail."""

    subject: str
    text: str
    html: str
    language: str


@dataclass(frozen=True)
class Engines:
    """The template engines of one template directory: text without escaping, HTML with."""

    text: Engine
    html: Engine


@cache
def engines(directory: Path = TEMPLATES) -> Engines:
    """The engines reading `directory`; a dedicated pair, independent of the project settings."""
    dirs = [str(directory)]
    return Engines(
        text=Engine(dirs=dirs, autoescape=False, libraries={}),
        html=Engine(dirs=dirs, autoescape=True, libraries={}),
    )


OVERRIDES = Engine(autoescape=False, libraries={})
"""Compiles a shop's own text: no template directories, so nothing to include."""
CHECKER = Engine(autoescape=False, libraries={}, debug=True)
"""Compiles overrides for validation: debug mode puts the line number on syntax errors."""


def template_name(kind: MessageKind, language: str, channel: Channel) -> str:
    """Where the text of a kind in a language for a channel lives."""
    return f"messages/{MessageKind(kind)}/{language}.{FILE_CHANNEL[Channel(channel)]}.txt"


def languages(kind: MessageKind, context: MessageContext) -> tuple[str, ...]:
    """The fallback chain: the customer's language, the shop's, then English."""
    merchant = AUDIENCE[MessageKind(kind)] == Audience.MERCHANT
    wanted = ([] if merchant else [context.language]) + [context.shop_language, "en"]
    return tuple(dict.fromkeys(lang for lang in wanted if lang in LANGUAGES))


def _template(
    kind: MessageKind, channel: Channel, context: MessageContext, found: Engines
) -> tuple[Template, str]:
    """The first template along the language chain, and its language."""
    chain = languages(kind, context)
    for language in chain:
        try:
            return found.text.get_template(template_name(kind, language, channel)), language
        except TemplateDoesNotExist:
            continue
    raise MissingTemplate(f"no {channel} template for {kind} in {', '.join(chain)}")


def tidy(text: str) -> str:
    """Text without the blank lines and double spaces that template tags leave behind."""
    lines = [re.sub(r" {2,}", " ", line).rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def split_subject(text: str) -> tuple[str, str]:
    """The subject from an e-mail text's first line, and the body after it."""
    first, _, body = text.partition("\n")
    label, colon, subject = first.partition(":")
    if not colon or label.strip().lower() != "subject" or not subject.strip():
        raise ValueError("an e-mail template starts with a line 'Subject: …'")
    return subject.strip(), body.strip("\n")


def blocks(body: str, tracking_url: str, default_label: str) -> list[dict[str, str]]:
    """The body as paragraphs; the line '<label>: <tracking url>' becomes the button."""
    found: list[dict[str, str]] = []
    for paragraph in body.split("\n\n"):
        lines = []
        for line in paragraph.splitlines():
            label = line[: -len(tracking_url)].rstrip().rstrip(":").rstrip()
            if tracking_url and line.endswith(tracking_url) and label and len(label) < 60:
                found.append({"button": label})
            else:
                lines.append(line)
        if lines:
            found.append({"text": "\n".join(lines)})
    if tracking_url and not any("button" in block for block in found):
        found.append({"button": default_label})
    return found


def _html(
    subject: str,
    body: str,
    kind: MessageKind,
    language: str,
    context: MessageContext,
    found: Engines,
) -> str:
    """The text body inside the shop's branded HTML layout."""
    words = WORDS[language]
    background = colour(context.brand_colour)
    audience = "merchant" if AUDIENCE[MessageKind(kind)] == Audience.MERCHANT else "customer"
    # A case or return message's button opens the customer's own page, not the tracking.
    on_case = kind in CASE_KINDS and bool(context.case_url)
    label = words["return" if kind in RETURN_KINDS else "case"] if on_case else words["track"]
    link = context.case_url if on_case else context.tracking_url
    data: dict[str, Any] = {
        "language": language,
        "subject": subject,
        "preheader": body.split("\n\n")[1] if body.count("\n\n") else body,
        "blocks": blocks(body, link, label),
        "shop_name": context.shop_name,
        "logo_url": safe_logo(context.logo_url),
        "colour": background,
        "ink": ink(background),
        "tracking_url": link,
        "unsubscribe_url": context.unsubscribe_url,
        "unsubscribe": words["unsubscribe"],
        "why": words[audience].format(shop=context.shop_name),
    }
    layout = found.html.get_template(LAYOUT)
    return layout.render(Context(data, autoescape=True))


def render(
    kind: MessageKind,
    channel: Channel,
    context: MessageContext,
    *,
    override: str | None = None,
    directory: Path = TEMPLATES,
) -> Rendered:
    """Render `kind` for `channel`; `override` is a shop's own text in the first language."""
    kind, channel = MessageKind(kind), Channel(channel)
    if AUDIENCE[kind] == Audience.AGENT:
        raise MissingTemplate(f"{kind} is a task on the case desk, not a message")
    found = engines(directory)
    if override is None:
        template, language = _template(kind, channel, context, found)
    else:
        template, language = OVERRIDES.from_string(override), languages(kind, context)[0]
    text = tidy(template.render(Context(context.values(language), autoescape=False)))
    if channel != Channel.EMAIL:
        return Rendered(subject="", text=text, html="", language=language)
    subject, body = split_subject(text)
    html = _html(subject, body, kind, language, context, found)
    if context.unsubscribe_url:
        footer = WORDS[language]["unsubscribe_text"].format(url=context.unsubscribe_url)
        body = f"{body}\n\n{footer}"
    return Rendered(subject=subject, text=body, html=html, language=language)


def _line(node: Node) -> int:
    """The line a node starts on in its source."""
    return (node.token.lineno or 0) if node.token else 0


def _names(nodes: list[Node]) -> list[tuple[int, str]]:
    """(line, name) of every variable an override prints that no message provides."""
    local = {"forloop"}
    for node in nodes:
        if isinstance(node, ForNode):
            local.update(node.loopvars)
        elif isinstance(node, WithNode):
            local.update(node.extra_context)
    unknown = []
    for node in nodes:
        if isinstance(node, VariableNode):
            lookups = getattr(node.filter_expression.var, "lookups", None)
            if lookups and lookups[0] not in VARIABLES | local:
                unknown.append((_line(node), str(lookups[0])))
    return unknown


def _plain(message: str) -> str:
    """Django's message without hints that do not apply to a shop (loading tags, the line)."""
    for hint in (" Did you forget to register or load this tag?", " Must be one of:"):
        message = message.split(hint)[0]
    return re.sub(r" on line \d+", "", message).strip()


def validate_override(source: str, channel: Channel) -> str | None:
    """None when a shop's own text compiles and fits the channel, else what is wrong and where."""
    try:
        template = CHECKER.from_string(source)
    except TemplateSyntaxError as error:
        line = getattr(error, "template_debug", {}).get("line", "?")
        return f"Line {line}: {_plain(str(error))}"
    nodes = template.nodelist.get_nodes_by_type(Node)
    for node in nodes:
        if isinstance(node, FORBIDDEN):
            tag = node.token.contents.split()[0] if node.token else "?"
            return f"Line {_line(node)}: the tag {{% {tag} %}} is not allowed in a message"
    unknown = _names(nodes)
    if unknown:
        line, name = unknown[0]
        known = ", ".join(sorted(VARIABLES))
        return f"Line {line}: unknown variable {{{{ {name} }}}}; known: {known}"
    if Channel(channel) == Channel.EMAIL:
        try:
            split_subject(source.lstrip("\ufeff"))
        except ValueError as error:
            return f"Line 1: {error}"
    return None
