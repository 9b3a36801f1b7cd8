"""The few words the editions add to a text, in the text's language: an article in
Persian should not say "By" and "Notes" in English. Unknown languages get English."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Labels:
    by: str
    and_: str
    about_author: str
    about_authors: str
    notes: str
    contents: str
    back_to_note: str
    """With ``{n}``: the accessible name of a note's way back to its call."""


ENGLISH = Labels(
    "By",
    "and",
    "About the author",
    "About the authors",
    "Notes",
    "Contents",
    "Back to note {n} in the text",
)

LABELS: dict[str, Labels] = {
    "en": ENGLISH,
    "fr": Labels(
        "Par",
        "et",
        "À propos de l’auteur",
        "À propos des auteurs",
        "Notes",
        "Table des matières",
        "Retour à l’appel de note {n}",
    ),
    "de": Labels(
        "Von",
        "und",
        "Über den Autor",
        "Über die Autoren",
        "Anmerkungen",
        "Inhalt",
        "Zurück zu Anmerkung {n} im Text",
    ),
    "es": Labels(
        "Por",
        "y",
        "Sobre el autor",
        "Sobre los autores",
        "Notas",
        "Índice",
        "Volver a la nota {n} en el texto",
    ),
    "fa": Labels(
        "نوشتهٔ",
        "و",
        "دربارهٔ نویسنده",
        "دربارهٔ نویسندگان",
        "یادداشت‌ها",
        "فهرست",
        "بازگشت به یادداشت {n} در متن",
    ),
    "ar": Labels(
        "بقلم",
        "و",
        "عن الكاتب",
        "عن الكتّاب",
        "الحواشي",
        "المحتويات",
        "العودة إلى الحاشية {n} في النص",
    ),
}


def labels_for(lang: str) -> Labels:
    return LABELS.get(lang.split("-")[0].lower(), ENGLISH)
