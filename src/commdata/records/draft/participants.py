"""Who took part in the meeting, from the 主持/报告/讲话/部署 sentences at the start of the text.

Each sentence's verbs give a role (presided, reported, deployed, guided) and the words before a verb
its person: a name after the last title (市委副书记、市长贺海东), or a body (市委常委会) as it stands,
with whom they spoke for (受…委托, 代表…) and what they reported on or deployed.
"""

from __future__ import annotations

import re

from commdata.domain.quantities import fold

_TITLES = ("书记", "市长", "省长", "区长", "县长", "州长", "旗长", "盟长", "主席", "主任", "组长", "部长", "秘书长", "常委")
_BODY_ENDINGS = ("常委会", "委员会", "主席团", "政府", "领导小组")
_ROLE_VERB = re.compile(
    r"(?P<presided>主持)|作(?P<report>[^，,。；;]{0,10}?)报告|(?P<reported>报告工作)"
    r"|(?<!决策)(?P<deployed>部署)(?P<subject>[^，,。；;]{2,20})|(?P<spoke>讲话)|(?P<guided>到会指导|莅临指导)")
_FILLER_AFTER_WHO = re.compile(r"(?:出席会议并|出席并|到会并|在会上|在会议上|并|作重要|发表重要|发表|作|向全会|向大会|向会议)+$")
_ENTRUSTED = re.compile(r"受(?P<body>[^，,。；;]{2,12}?)委托$")
_OPENING = 1500  # characters: who took part is said at the start
_MAX_WHO = 30


def participants(text: str) -> list[dict[str, str]]:
    """Who presided, reported, deployed or guided, from the 主持/报告/讲话/部署 sentences at the start.

    A speech (讲话) is taken as guidance where the speaker attended (出席, 到会), else as deploying the
    work: a curator checks every role."""
    found: list[dict[str, str]] = []
    for sentence in re.split(r"[。！？!?]", text[:_OPENING]):
        folded = fold(sentence)
        for verb in _ROLE_VERB.finditer(folded):
            entry = _participant(sentence, folded, verb)
            if entry is not None and (entry["role"], entry["name"]) not in {(e["role"], e["name"]) for e in found}:
                found.append(entry)
    return found or [{"role": "presided", "name": "TODO"}]


def _participant(sentence: str, folded: str, verb: re.Match[str]) -> dict[str, str] | None:
    clause_start = max(folded.rfind(mark, 0, verb.start()) for mark in "，,；;：:由") + 1
    who = sentence[clause_start:verb.start()]
    filler = _FILLER_AFTER_WHO.search(fold(who))
    if filler is not None:
        who = who[:len(who) - len(filler[0])]
    on_behalf_of = None
    entrusted = _ENTRUSTED.search(who)
    if entrusted is not None:  # 市委书记陈明受市委常委会委托: for the body that entrusted them
        who, on_behalf_of = who[:entrusted.start()], entrusted["body"]
    elif "代表" in who:
        who, on_behalf_of = who.split("代表", 1)
    person = _person(who)
    if person is None:
        return None
    entry = {"role": _role(verb, folded), **person}
    if on_behalf_of:
        entry["on_behalf_of"] = on_behalf_of
    subject = "subject" if verb["subject"] else "report"  # what is deployed, or reported on
    if verb[subject]:
        entry["subject"] = sentence[verb.start(subject):verb.end(subject)]
    return entry


def _role(verb: re.Match[str], folded: str) -> str:
    if verb["presided"]:
        return "presided"
    if verb["deployed"]:
        return "deployed"
    if verb["spoke"] is None and verb["guided"] is None:
        return "reported"
    if verb["guided"] or any(word in folded for word in ("出席", "到会", "莅临")):
        return "guided"
    return "deployed"


def _person(who: str) -> dict[str, str] | None:
    """A name after the last title (市委副书记、市长贺海东), or a body (市委常委会) as it stands; None
    for anything else (全会, a long phrase)."""
    folded = fold(who)
    if not who or len(who) > _MAX_WHO or folded.startswith(("全会", "会议", "大会", "会上", "报告")):
        return None
    if folded.endswith(_BODY_ENDINGS):
        return {"name": who}
    cut = max((folded.rfind(title) + len(title) for title in _TITLES if title in folded), default=0)
    if cut == 0:
        return {"name": who} if 2 <= len(who) <= 4 else None
    if cut == len(who):
        return None
    return {"name": who[cut:], "position": who[:cut]}
