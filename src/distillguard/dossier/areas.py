"""Capability areas: what a call asked the model to do, for the report's exposure by area.

A distillation campaign harvests the capabilities it wants to copy, so counsel needs to know
*what* was taken, not only how much: so many calls, output and reasoning tokens of coding,
of mathematics, of tool use. Each call is given one area from general, structural evidence
in its texts and parameters, never from any one client's wording:

- **tool use** — tools were offered to the model (``n_tools``) or it called one;
- **multilingual** — the prompt is mostly in a non-Latin script, reads as a language other
  than English (its common function words), or asks for a translation;
- **coding** — code in the prompt (fenced blocks, lines of code syntax) or the vocabulary
  of programming; or, when the prompt says nothing more specific, code in the answer;
- **mathematics** — arithmetic between numbers, mathematical notation, or a numeric word
  problem;
- **analysis** — extracting, classifying or summarising given material, or structured data
  (tables, JSON, CSV) in the prompt;
- **reasoning** — logic puzzles and deductions, or an answer that is mostly reasoning tokens;
- **writing** — composing or editing prose, letters, stories, poems; role play;
- **other** — none of these (general knowledge questions, chat).

The first area whose evidence is strong enough wins, in the order above: a maths question
asked in Japanese is multilingual, a program that computes a sum is coding. The area is
computed on the full texts before a bundle is redacted, and carried in the ``area`` column of
the calls records, so every figure of the exposure table traces to the records.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final


@dataclass(frozen=True)
class Area:
    name: str
    title: str
    meaning: str  # in plain words, for the report


AREAS: Final[tuple[Area, ...]] = (
    Area("tool_use", "Tool use / agentic", "the model was offered tools to call or called one"),
    Area(
        "multilingual",
        "Multilingual",
        "the prompt is in a language other than English, or asks for a translation",
    ),
    Area("coding", "Coding", "writing, explaining or fixing program code"),
    Area("mathematics", "Mathematics", "calculations, equations and numeric word problems"),
    Area(
        "analysis",
        "Analysis / extraction",
        "extracting, classifying or summarising given material or data",
    ),
    Area("reasoning", "Reasoning", "logic puzzles and deductions; answers mostly reasoning"),
    Area("writing", "Writing", "composing or editing prose, letters, stories, poems; role play"),
    Area("other", "Other", "none of the above (general questions, conversation)"),
)
NAMES: Final = tuple(a.name for a in AREAS)
TITLES: Final = MappingProxyType({a.name: a.title for a in AREAS})

_FLAGS: Final = re.IGNORECASE | re.MULTILINE

_FENCE: Final = re.compile(r"```|~~~")
_CODE_LINE: Final = re.compile(
    r"^\s*(?:def |class |import |from \S+ import |#include|package |public |private |"
    r"function\b|var |let |const |return\b|for\s*\(|while\s*\(|if\s*\(|SELECT\b|CREATE TABLE|"
    r"<\?php|<html|<div|\$ |>>> )|[;{}]\s*$|\w+\([^()\n]*\)\s*[{:;]\s*$|=>|->\s*\w",
    _FLAGS,
)
_CODE_STRONG: Final = re.compile(
    r"\b(?:code|coding|program(?:ming)?|function|algorithm|script|implement(?:ation)?|"
    r"compil(?:e|er|ed|ing)|debug(?:ging)?|regex|regular expression|sql|html|css|python|"
    r"java|javascript|typescript|c\+\+|c#|ruby|golang|rust|php|swift|kotlin|scala|matlab|"
    r"bash|perl|haskell|node\.?js|react|django|flask|pandas|numpy|linked list|binary tree|"
    r"hash ?map|data structure|time complexity|unit tests?|refactor|api|mongodb|mysql|"
    r"postgres(?:ql)?|sqlite|for loops?|while loops?|if statements?|big o)\b",
    re.IGNORECASE,
)
_CODE_WORDS: Final = re.compile(
    r"\b(?:method|class|array|integers?|strings?|variables?|loop|recursi(?:on|ve)|bug|"
    r"syntax|database|query|shell|linux|git|docker|library|framework|runtime|exception|"
    r"stack|queue|dictionary|sort(?:ing|ed)?|input|output|return|print|list|file|"
    r"object|boolean|parameter|argument|element)\b",
    re.IGNORECASE,
)
_CODE_TOKEN: Final = re.compile(
    r"\b[a-z_]\w*\s*=\s*[\[{(\"']|\b[a-z_]\w*\.[a-z_]\w*\(|\bO\(n|\bprint\(|"
    r"\b(?:SELECT|UPDATE|INSERT INTO|DELETE FROM)\b.+\b(?:FROM|SET|VALUES|WHERE)\b",
    re.IGNORECASE,
)
_ARITHMETIC: Final = re.compile(
    r"\d\s*[-+*/×÷^=<>]\s*\(?\s*-?\d|\b[a-z]\s*[-+*/^=]\s*[a-z\d]\b|\b[a-z]\([a-z]\)",
    re.IGNORECASE,
)
_NOTATION: Final = re.compile(
    r"\\(?:frac|sqrt|sum|int|lim|cdot|times|pi|theta|alpha|leq|geq)\b|\$[^$\n]+\$|"
    r"[∑∫√π≤≥≠∞∂]|\b[a-z]\s*\^\s*\d|\b\d*[a-z]\s*[-+]\s*\d+\s*=",
    re.IGNORECASE,
)
_MATH_WORDS: Final = re.compile(
    r"\b(?:solve|equations?|integral|derivative|probability|theorem|prove|proof|calculate|"
    r"compute|how (?:many|much)|percent(?:age)?|ratio|fraction|sum|average|mean|median|"
    r"geometry|algebra|arithmetic|triangle|circle|radius|area of|volume of|polynomial|"
    r"prime|divisible|remainder|factorial|matrix|vector|logarithm|square root|digits?|"
    r"total|each|per|times|twice|half|dozen|cost|costs|price|limit|antiderivative|"
    r"conjecture|sin|cos|tan|log)\b",
    re.IGNORECASE,
)
_NUMBER: Final = re.compile(
    r"(?<![\w.])\d+(?:[.,]\d+)?(?![\w])|\b(?:two|three|four|five|six|seven|eight|nine|"
    r"ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|twice|half|"
    r"double|triple|quarter|third)\b",
    re.IGNORECASE,
)
_DATE_OR_TIME: Final = re.compile(
    r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{1,2}:\d{2}\b"
)
"""Dates and times: digits and dashes that are not arithmetic."""
_QUANTITY_QUESTION: Final = re.compile(
    r"\bhow (?:many|much|long|old|far|fast|often)\b|\bwhat (?:is|was|will be) the "
    r"(?:total|number|sum|average|cost|price|difference|value)\b",
    re.IGNORECASE,
)
_COMPOSE: Final = re.compile(r"^\W*(?:please\s+)?(?:write|compose|draft|create|generate)\b", re.I)
_ANALYSIS_WORDS: Final = re.compile(
    r"\b(?:extract|summari[sz]e|summary|classify|categori[sz]e|analy[sz]e|analysis|identify|"
    r"parse|tabulate|table|csv|json|sentiment|key points|named entities|list (?:all|the)|"
    r"following (?:text|passage|paragraph|article|data|records|reviews|sentences?|document)|"
    r"given (?:text|passage|paragraph|article|data|records|document)|evaluate the following|"
    r"dataset|data ?set|statistic(?:s|al)?|regression|correlation|spreadsheet|chart|"
    r"visuali[sz]e|trends?|metrics?|kpis?|forecast|cohort|survey results)\b",
    re.IGNORECASE,
)
_STRUCTURED: Final = re.compile(r"^\s*(?:[|].*[|]|\{.*\}|[^,\n]+(?:,[^,\n]+){3,})\s*$", _FLAGS)
_REASONING_WORDS: Final = re.compile(
    r"\b(?:puzzle|riddle|logic(?:al(?:ly)?)?|deduce|deduction|infer|premises?|conclusion|"
    r"syllogism|paradox|true, false,? or uncertain|which of the following|does not belong|"
    r"relationship between|who is (?:sitting|the)|sitting (?:to|opposite|second|third)|"
    r"facing|what could be the reasons?|brain ?teaser|lateral thinking|clues?|"
    r"following (?:clues|conditions|constraints|premises|statements)|"
    r"each \w+ has a different)\b",
    re.IGNORECASE,
)
_WRITING_WORDS: Final = re.compile(
    r"\b(?:write|compose|draft|rewrite|rephrase|paraphrase|edit|proofread|essay|story|poem|"
    r"haiku|lyrics|song|letter|e-?mail|blog|article|speech|slogan|tweet|post|headline|"
    r"novel|narrative|character|dialogue|persuasive|cover letter|pretend|act as|role of|"
    r"imagine (?:you|yourself)|picture yourself|embody|persona|you are a|if you were|"
    r"consider yourself|your name is|in the style of|academic|paper|describe)\b",
    re.IGNORECASE,
)
_TRANSLATION: Final = re.compile(
    r"\b(?:translat(?:e|ion|ing)|transliterat\w+|in (?:english|french|spanish|german|"
    r"italian|portuguese|russian|arabic|chinese|mandarin|japanese|korean|hindi|dutch|"
    r"turkish|polish|vietnamese|thai|indonesian|swedish|greek|hebrew)(?: and| or|,|\.|$))",
    re.IGNORECASE,
)
_WORD: Final = re.compile(r"[^\W\d_]+", re.UNICODE)
_ENGLISH: Final = frozenset(
    _WORD.findall("the of and to in is that it for on with as are this be was you i what how can")
)
_OTHER_LATIN: Final = frozenset(
    _WORD.findall(
        "le la les des est une et dans pour pas que qui sur avec "  # French
        "el los las es una y en por para con que del muy como "  # Spanish
        "der die das und ist nicht ein eine ich mit für auf dem den "  # German
        "il di che non per una sono della nel "  # Italian
        "o os um uma não com para é do da em "  # Portuguese
        "het een en van ik niet dat op zijn"  # Dutch
    )
)


@dataclass(frozen=True)
class CallText:
    """What the classifier reads of one call."""

    prompt: str  # the last user turn (the system prompt when there is none)
    answer: str = ""
    n_tools: int = 0
    n_tool_calls: int = 0
    output_tokens: int = 0
    reasoning_tokens: int = 0


def _non_latin_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    foreign = sum(1 for c in letters if not unicodedata.name(c, "").startswith("LATIN"))
    return foreign / len(letters)


def _foreign_language(text: str) -> bool:
    words = [w.lower() for w in _WORD.findall(text[:4000])]
    if len(words) < 4:
        return False
    english = sum(w in _ENGLISH for w in words)
    other = sum(w in _OTHER_LATIN and w not in _ENGLISH for w in words)
    return other >= 3 and other > 2 * english


def multilingual(text: str) -> bool:
    """Mostly a non-Latin script, a Latin-script language other than English, or a request
    to translate."""
    return (
        _non_latin_share(text) >= 0.3
        or _foreign_language(text)
        or bool(_TRANSLATION.search(text[:2000]))
    )


def _count(pattern: re.Pattern[str], text: str) -> int:
    return sum(1 for _ in pattern.finditer(text))


def coding(prompt: str) -> bool:
    """Code in the prompt, or a prompt in the vocabulary of programming."""
    prompt = prompt.replace("\\n", "\n")  # code pasted inside a quoted string
    if _FENCE.search(prompt) or _count(_CODE_LINE, prompt) >= 2:
        return True
    if _CODE_STRONG.search(prompt) or _CODE_TOKEN.search(prompt):
        return True
    return len({m.lower() for m in _CODE_WORDS.findall(prompt)}) >= 3


def code_answer(answer: str) -> bool:
    """An answer that holds code: what was harvested is code, whatever the prompt said."""
    return bool(
        _FENCE.search(answer) or _count(_CODE_LINE, answer) >= 3 or _CODE_TOKEN.search(answer)
    )


def mathematics(prompt: str) -> bool:
    """Arithmetic or notation, or a word problem: several numbers and the words of one."""
    prompt = _DATE_OR_TIME.sub(" ", prompt)
    if _ARITHMETIC.search(prompt) or _NOTATION.search(prompt):
        return True
    if _COMPOSE.search(prompt):
        return False  # "write a 500-word essay on three...": numbers, not a problem
    numbers = len(_NUMBER.findall(prompt))
    words = len({m.lower() for m in _MATH_WORDS.findall(prompt)})
    asks = bool(_QUANTITY_QUESTION.search(prompt))
    return (numbers >= 2 and (words >= 1 or asks)) or (numbers >= 1 and words >= 3)


def analysis(prompt: str) -> bool:
    """Given material to extract from, classify or summarise; or structured data."""
    if _count(_STRUCTURED, prompt) >= 3:
        return True
    return bool(_ANALYSIS_WORDS.search(prompt))


def reasoning(call: CallText) -> bool:
    """A logic puzzle or deduction; or an answer made mostly of reasoning tokens."""
    if _REASONING_WORDS.search(call.prompt):
        return True
    return call.output_tokens > 0 and call.reasoning_tokens >= 0.6 * call.output_tokens


def writing(prompt: str) -> bool:
    return bool(_WRITING_WORDS.search(prompt))


def classify(call: CallText) -> str:
    """The call's capability area (one of ``NAMES``)."""
    prompt = call.prompt[:8000]
    answer = call.answer[:8000]
    if call.n_tools > 0 or call.n_tool_calls > 0:
        return "tool_use"
    if multilingual(prompt):
        return "multilingual"
    if coding(prompt):
        return "coding"
    if reasoning(CallText(prompt)):
        return "reasoning"
    if analysis(prompt):
        return "analysis"
    if mathematics(prompt):
        return "mathematics"
    if code_answer(answer):
        return "coding"
    if reasoning(call):
        return "reasoning"
    if writing(prompt):
        return "writing"
    return "other"


def classify_row(
    system_prompt: str | None,
    user_text: str | None,
    response_text: str | None,
    n_tools: int | None,
    n_tool_calls: int | None,
    output_tokens: int | None,
    reasoning_tokens: int | None,
) -> str:
    """``classify`` over the columns of a calls row (nulls as empty)."""
    prompt = user_text or system_prompt or ""  # the task; a system prompt sets a role
    return classify(
        CallText(
            prompt,
            response_text or "",
            n_tools or 0,
            n_tool_calls or 0,
            output_tokens or 0,
            reasoning_tokens or 0,
        )
    )
