"""The words the PEMAT items read, per language: what names a summary or a generic heading,
hard numbers, calculations, the reader in the third person or as "you", and the verbs that tell
the reader to act. English and Spanish (usted, the form patient material uses)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SUMMARY = re.compile(
    r"\b(summary|in short|in brief|key points|main points|at a glance|to sum up|remember)\b", re.IGNORECASE
)
_GENERIC = re.compile(
    r"^(introduction|overview|information|general|details|other|miscellaneous|misc|notes?|more|background|"
    r"content|contents|(section|part|chapter|step|page)\s*\d*)$",
    re.IGNORECASE,
)
_HARD_NUMBERS = re.compile(
    r"\d\s*%|\bper\s*cent\b|\bpercent\b|\b\d+/\d+\b|[\u00bc-\u00be\u2150-\u215e]|\b\d+\.\d+\b", re.IGNORECASE
)
_CALCULATION = re.compile(
    r"\b(calculate|calculation|multiply|divide|subtract|add up|work out how|figure out how|per kilogram|mg/kg|ml/kg)\b",
    re.IGNORECASE,
)
_THIRD_PERSON = re.compile(
    r"\b(the patient|patients|the individual|individuals|the client|clients|the user|users|the reader)\b",
    re.IGNORECASE,
)
_YOU = re.compile(r"\b(you|your|yours|yourself)\b", re.IGNORECASE)
_LEAD_INS = {"please", "then", "also", "first", "next", "now", "just", "so", "and", "but", "again"}
_IMPERATIVES = {
    "ask",
    "avoid",
    "book",
    "breathe",
    "bring",
    "call",
    "check",
    "choose",
    "come",
    "do",
    "don't",
    "drink",
    "drive",
    "eat",
    "fill",
    "find",
    "follow",
    "get",
    "give",
    "go",
    "have",
    "help",
    "keep",
    "leave",
    "let",
    "lie",
    "list",
    "make",
    "note",
    "pick",
    "plan",
    "put",
    "raise",
    "read",
    "remember",
    "rest",
    "say",
    "see",
    "share",
    "sign",
    "sit",
    "speak",
    "start",
    "stay",
    "stop",
    "take",
    "talk",
    "tell",
    "text",
    "think",
    "try",
    "use",
    "visit",
    "wait",
    "watch",
    "wear",
    "write",
}
_IF_CLAUSE = {"if", "when", "before", "after", "until", "while", "once", "during"}


@dataclass(frozen=True)
class PematWords:
    summary: re.Pattern
    generic: re.Pattern
    hard_numbers: re.Pattern
    calculation: re.Pattern
    third_person: re.Pattern
    you: re.Pattern
    lead_ins: frozenset[str]
    imperatives: frozenset[str]
    if_clause: frozenset[str]
    must: re.Pattern  # "you should ...": an action said without an imperative
    negation: tuple[str, ...]  # "do not" + a verb, "no" + an imperative
    token: re.Pattern = re.compile(r"[A-Za-z']+")  # the words of a sentence, as these sets hold them


ENGLISH = PematWords(
    _SUMMARY,
    _GENERIC,
    _HARD_NUMBERS,
    _CALCULATION,
    _THIRD_PERSON,
    _YOU,
    frozenset(_LEAD_INS),
    frozenset(_IMPERATIVES),
    frozenset(_IF_CLAUSE),
    re.compile(r"\byou (should|must|need to|will need to|have to)\b", re.IGNORECASE),
    ("do", "not"),
)

SPANISH = PematWords(
    re.compile(
        r"\b(resumen|en resumen|en pocas palabras|en breve|puntos clave|lo más importante|"
        r"lo esencial|de un vistazo|recuerde|para recordar)\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"^(introducción|información|general|detalles|otros|otras|varios|nota|notas|más|antecedentes|"
        r"contenido|contenidos|(sección|parte|capítulo|paso|página)\s*\d*)$",
        re.IGNORECASE,
    ),
    re.compile(
        r"\d\s*%|\bpor\s*ciento\b|\bporcentaje\b|\b\d+/\d+\b|[\u00bc-\u00be\u2150-\u215e]|\b\d+[.,]\d{1,2}\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(calcule|calcular|cálculo|multiplique|multiplicar|divida|dividir|reste|restar|sume|sumar|"
        r"por kilo|mg/kg|ml/kg)\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(el paciente|la paciente|los pacientes|las pacientes|el individuo|los individuos|"
        r"el usuario|la usuaria|los usuarios|el lector|la lectora|el cliente|los clientes)\b",
        re.IGNORECASE,
    ),
    re.compile(r"\b(usted|ustedes|su|sus|suyo|suya|suyos|suyas)\b", re.IGNORECASE),
    frozenset(
        {"por", "favor", "luego", "también", "primero", "después", "ahora", "entonces", "y", "pero", "además"}
    ),
    frozenset(
        [
            "acuéstese",
            "anote",
            "apague",
            "avise",
            "beba",
            "busque",
            "camine",
            "coma",
            "compruebe",
            "consulte",
            "cuéntenos",
            "cuide",
            "decida",
            "deje",
            "descanse",
            "diga",
            "duerma",
            "elija",
            "escriba",
            "espere",
            "evite",
            "firme",
            "guarde",
            "haga",
            "hable",
            "lea",
            "lleve",
            "llame",
            "maneje",
            "mire",
            "pida",
            "piense",
            "planee",
            "ponga",
            "pregunte",
            "prepare",
            "quédese",
            "recuerde",
            "regrese",
            "respire",
            "revise",
            "sepa",
            "siga",
            "siéntese",
            "tenga",
            "tome",
            "traiga",
            "trate",
            "use",
            "vaya",
            "venga",
            "vista",
            "vuelva",
        ]
    ),
    frozenset({"si", "cuando", "antes", "después", "hasta", "mientras", "durante"}),
    re.compile(r"\b(usted (debe|debería|tiene que|necesita|necesitará|tendrá que)|hay que)\b", re.IGNORECASE),
    ("no",),
    re.compile(r"[^\W\d_]+"),
)

PEMAT_WORDS = {"en": ENGLISH, "es": SPANISH}
