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
    volume: str = "Volume {}"
    issue: str = "Issue {}"
    abstract: str = "Abstract"
    keywords: str = "Keywords:"
    separator: str = ", "
    """Between the names of a list (authors, keywords)."""
    spaced: bool = True
    """False for scripts written without spaces between words (Chinese, Japanese)."""
    prefix: bool = False
    """True where "and" is a prefix of the next word (Hebrew ו)."""
    corresponding_author: str = "Corresponding author"
    equal_contribution: str = "These authors contributed equally"
    orcid_of: str = "ORCID iD of {}"
    """With the author's name: the accessible name of the ORCID iD mark."""
    name_colon: str = ":"
    """After an author's name that opens the author's note (French: a space before it)."""

    def conjunction(self) -> str:
        """What stands between the last two names: " and ", "、", " ו"."""
        if self.prefix:
            return f" {self.and_}"
        return f" {self.and_} " if self.spaced else self.and_


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
        issue="Numéro {}",
        abstract="Résumé",
        keywords="Mots-clés\u00a0:",
        corresponding_author="Auteur correspondant",
        equal_contribution="Ces auteurs ont contribué à parts égales",
        orcid_of="iD ORCID de {}",
        name_colon="\u00a0:",
    ),
    "de": Labels(
        "Von",
        "und",
        "Über den Autor",
        "Über die Autoren",
        "Anmerkungen",
        "Inhalt",
        "Zurück zu Anmerkung {n} im Text",
        volume="Jahrgang {}",
        issue="Heft {}",
        abstract="Zusammenfassung",
        keywords="Schlüsselwörter:",
        corresponding_author="Korrespondierender Autor",
        equal_contribution="Diese Autoren haben gleichermaßen beigetragen",
        orcid_of="ORCID iD von {}",
    ),
    "es": Labels(
        "Por",
        "y",
        "Sobre el autor",
        "Sobre los autores",
        "Notas",
        "Índice",
        "Volver a la nota {n} en el texto",
        volume="Volumen {}",
        issue="Número {}",
        abstract="Resumen",
        keywords="Palabras clave:",
        corresponding_author="Autor de correspondencia",
        equal_contribution="Estos autores contribuyeron por igual",
        orcid_of="iD ORCID de {}",
    ),
    "fa": Labels(
        "نوشتهٔ",
        "و",
        "دربارهٔ نویسنده",
        "دربارهٔ نویسندگان",
        "یادداشت‌ها",
        "فهرست",
        "بازگشت به یادداشت {n} در متن",
        volume="دورهٔ {}",
        issue="شمارهٔ {}",
        abstract="چکیده",
        keywords="کلیدواژه‌ها:",
        separator="، ",
    ),
    "ar": Labels(
        "بقلم",
        "و",
        "عن الكاتب",
        "عن الكتّاب",
        "الحواشي",
        "المحتويات",
        "العودة إلى الحاشية {n} في النص",
        volume="المجلد {}",
        issue="العدد {}",
        abstract="الملخص",
        keywords="الكلمات المفتاحية:",
        separator="، ",
    ),
    "it": Labels(
        "di",
        "e",
        "Sull’autore",
        "Sugli autori",
        "Note",
        "Indice",
        "Torna alla nota {n} nel testo",
        issue="Numero {}",
        abstract="Riassunto",
        keywords="Parole chiave:",
    ),
    "pt": Labels(
        "Por",
        "e",
        "Sobre o autor",
        "Sobre os autores",
        "Notas",
        "Sumário",
        "Voltar à nota {n} no texto",
        issue="Número {}",
        abstract="Resumo",
        keywords="Palavras-chave:",
    ),
    "ru": Labels(
        "",
        "и",
        "Об авторе",
        "Об авторах",
        "Примечания",
        "Содержание",
        "Вернуться к примечанию {n} в тексте",
        volume="Том {}",
        issue="Выпуск {}",
        abstract="Аннотация",
        keywords="Ключевые слова:",
    ),
    "he": Labels(
        "מאת",
        "ו",
        "על המחבר",
        "על המחברים",
        "הערות",
        "תוכן העניינים",
        "חזרה להערה {n} בטקסט",
        volume="כרך {}",
        issue="גיליון {}",
        abstract="תקציר",
        keywords="מילות מפתח:",
        prefix=True,
    ),
    # Chinese and Japanese: names follow one another with 、 and no "By".
    "zh": Labels(
        "",
        "、",
        "作者简介",
        "作者简介",
        "注释",
        "目录",
        "返回正文注释 {n}",
        volume="第{}卷",
        issue="第{}期",
        abstract="摘要",
        keywords="关键词：",
        separator="、",
        spaced=False,
    ),
    "ko": Labels(
        "",
        "·",
        "저자 소개",
        "저자 소개",
        "주",
        "목차",
        "본문의 주 {n}(으)로 돌아가기",
        volume="제{}권",
        issue="제{}호",
        abstract="초록",
        keywords="주제어:",
    ),
    "ja": Labels(
        "",
        "、",
        "著者について",
        "著者について",
        "注",
        "目次",
        "本文の注 {n} に戻る",
        volume="第{}巻",
        issue="第{}号",
        abstract="要旨",
        keywords="キーワード：",
        separator="、",
        spaced=False,
    ),
}


def labels_for(lang: str) -> Labels:
    return LABELS.get(lang.split("-")[0].lower(), ENGLISH)


@dataclass(frozen=True)
class UpdateWords:
    """What the editions say of notices and versions (issue 23), in one language.
    ``kinds``, ``headings`` and ``verbs`` are keyed by the kind's name (``notice:``);
    a kind missing here is said as ``publish.updates.model.KINDS`` says it (English)."""

    kinds: dict[str, str]
    """The notice's kind: "Correction"."""
    statuses: dict[str, str]
    """What the article has become, before its title when it is marked: "Retracted"."""
    headings: dict[str, str]
    """The updated article's notice box heading, by its status: "This article was
    corrected"."""
    verbs: dict[str, str]
    """A notice's own box: "This notice corrects:"."""
    version: str = "Version {n}"
    versions: str = "Versions"
    this_version: str = "this version"
    notice_of: str = "{label} notice"
    """The heading of a notice's own box, with its kind's label."""
    status_colon: str = "{status}:"
    """Before a retracted title: "Retracted:"; French sets a space before the colon."""


ENGLISH_UPDATES = UpdateWords(
    kinds={},
    statuses={},
    headings={
        "correction": "This article was corrected",
        "erratum": "This article was corrected",
        "addendum": "An addendum to this article was published",
        "expression-of-concern": "An expression of concern about this article was published",
        "withdrawal": "This article was withdrawn",
        "retraction": "This article was retracted",
    },
    verbs={
        "correction": "This notice corrects:",
        "erratum": "This notice corrects:",
        "addendum": "This notice adds to:",
        "expression-of-concern": "This notice expresses concern about:",
        "withdrawal": "This notice withdraws:",
        "retraction": "This notice retracts:",
    },
)

UPDATE_WORDS: dict[str, UpdateWords] = {
    "en": ENGLISH_UPDATES,
    "fr": UpdateWords(
        kinds={
            "correction": "Correction",
            "erratum": "Erratum",
            "addendum": "Addendum",
            "expression-of-concern": "Avertissement",
            "withdrawal": "Retrait",
            "retraction": "Rétractation",
        },
        statuses={"withdrawal": "Retiré", "retraction": "Rétracté"},
        headings={
            "correction": "Cet article a été corrigé",
            "erratum": "Cet article a été corrigé",
            "addendum": "Un addendum à cet article a été publié",
            "expression-of-concern": "Un avertissement sur cet article a été publié",
            "withdrawal": "Cet article a été retiré",
            "retraction": "Cet article a été rétracté",
        },
        verbs={
            "correction": "Cet avis corrige\u00a0:",
            "erratum": "Cet avis corrige\u00a0:",
            "addendum": "Cet avis complète\u00a0:",
            "expression-of-concern": "Cet avis exprime des réserves sur\u00a0:",
            "withdrawal": "Cet avis retire\u00a0:",
            "retraction": "Cet avis rétracte\u00a0:",
        },
        version="Version {n}",
        versions="Versions",
        this_version="cette version",
        notice_of="Avis\u00a0: {label}",
        status_colon="{status}\u00a0:",
    ),
    "de": UpdateWords(
        kinds={
            "correction": "Korrektur",
            "erratum": "Erratum",
            "addendum": "Nachtrag",
            "expression-of-concern": "Bedenken",
            "withdrawal": "Zurückziehung",
            "retraction": "Retraktion",
        },
        statuses={"withdrawal": "Zurückgezogen", "retraction": "Zurückgezogen"},
        headings={
            "correction": "Dieser Artikel wurde korrigiert",
            "erratum": "Dieser Artikel wurde korrigiert",
            "addendum": "Zu diesem Artikel wurde ein Nachtrag veröffentlicht",
            "expression-of-concern": "Zu diesem Artikel wurden Bedenken veröffentlicht",
            "withdrawal": "Dieser Artikel wurde zurückgezogen",
            "retraction": "Dieser Artikel wurde zurückgezogen",
        },
        verbs={
            "correction": "Diese Mitteilung korrigiert:",
            "erratum": "Diese Mitteilung korrigiert:",
            "addendum": "Diese Mitteilung ergänzt:",
            "expression-of-concern": "Diese Mitteilung äußert Bedenken zu:",
            "withdrawal": "Diese Mitteilung zieht zurück:",
            "retraction": "Diese Mitteilung zieht zurück:",
        },
        version="Version {n}",
        versions="Versionen",
        this_version="diese Version",
        notice_of="Mitteilung: {label}",
    ),
}


def update_words(lang: str) -> UpdateWords:
    return UPDATE_WORDS.get(lang.split("-")[0].lower(), ENGLISH_UPDATES)
