"""The demo shop's catalogue: home and garden goods, prices in euro cents."""

from dataclasses import dataclass
from random import Random
from typing import Any


@dataclass(frozen=True)
class Product:
    """One article; `dropship` articles come straight from a supplier in China."""

    sku: str
    name: str
    price: int
    dropship: bool = False


PRODUCTS = (
    Product("TG-POT-30TC", "Terracotta bloempot 30 cm", 1495),
    Product("TG-POT-SET3", "Keramische bloempotten, set van 3, saliegroen", 3995),
    Product("TG-SLG-25M", "Tuinslang 25 m met spuitpistool", 3495),
    Product("TG-SNS-RVS", "Snoeischaar RVS met veiligheidsslot", 2195),
    Product("TG-HDS-LDR", "Tuinhandschoenen leer, maat M", 1295),
    Product("TG-GTR-5L", "Emaille gieter 5 liter, antraciet", 2795),
    Product("TG-RGT-200", "Regenton 200 liter met kraan", 6995),
    Product("TG-CMP-330", "Compostbak 330 liter", 4995),
    Product("TG-ZDM-500", "Zaadmengsel wilde bloemen 500 g", 895),
    Product("TG-PTG-40L", "Biologische potgrond 40 liter", 995),
    Product("TG-KWK-MINI", "Mini-kweekkas voor de vensterbank", 1995),
    Product("TG-INS-HTL", "Insectenhotel van vurenhout", 2495),
    Product("TG-VGL-EIK", "Vogelvoederhuisje eikenhout", 3295),
    Product("TG-VRS-60", "Vuurschaal cortenstaal 60 cm", 8995),
    Product("TG-KSN-5050", "Buitenkussen lounge 50x50, antraciet", 2495),
    Product("TG-HOES-L", "Waterdichte hoes voor loungeset, L", 3995),
    Product("WN-KRS-VYG", "Geurkaars vijg en ceder", 1895),
    Product("WN-TFK-150", "Linnen tafelkleed 150x250, zand", 4495),
    Product("WN-WDL-25", "Windlicht glas 25 cm", 1695),
    Product("WN-PLD-WOL", "Wollen plaid 130x170, oker", 5995),
    Product("DS-SOL-4", "Solar tuinlampjes, set van 4", 2495, dropship=True),
    Product("DS-LED-10M", "LED-lichtsnoer 10 m, warm wit", 1995, dropship=True),
    Product("DS-MCR-HNG", "Macramé plantenhanger, set van 2", 1495, dropship=True),
    Product("DS-HMK-KAT", "Hangmat katoen met draagtas", 3495, dropship=True),
    Product("DS-IRR-DRP", "Druppelirrigatieset 20 potten", 2995, dropship=True),
    Product("DS-STK-BMB", "Bamboe plantensteunen 120 cm, 25 stuks", 1295, dropship=True),
    Product("DS-THM-WRL", "Digitale thermometer met buitensensor", 1795, dropship=True),
)

LOCAL = tuple(p for p in PRODUCTS if not p.dropship)
DROPSHIP = tuple(p for p in PRODUCTS if p.dropship)


def lines(rng: Random, *, dropship: bool) -> list[dict[str, Any]]:
    """One to four order lines, mostly a single article bought once."""
    count = rng.choices((1, 2, 3, 4), weights=(55, 30, 12, 3))[0]
    pool = DROPSHIP if dropship else LOCAL
    chosen = rng.sample(pool, k=min(count, len(pool)))
    return [
        {
            "sku": product.sku,
            "name": product.name,
            "quantity": rng.choices((1, 2, 3), weights=(80, 15, 5))[0],
            "unit_price": product.price,
            "currency": "EUR",
        }
        for product in chosen
    ]
