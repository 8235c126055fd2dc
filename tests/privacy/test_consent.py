"""Consent, attacked: a withdrawn speaker's words in every spelling and place, quoting around consent,
and survey consent questions that list No first.

The mini fixture's north interview (nb-int-01) has Alex (tm, team manager, consents to publication) and
Sam (sw, social worker, withdrawn). Secret words are nonsense words that occur nowhere else, so finding
one in any built file (HTML, search index after JSON decoding, CSV, SVG, sitemap) is a leak.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import build
from generator.content.models import Consent, ConsentUse, Method, Participant
from generator.content.turns import PLACEHOLDER, Speakers, parse_turns, redact_withdrawn, speakers_of
from generator.errors import ContentError
from generator.pipeline import load_and_validate

from ..conftest import FIXTURES, run_cli

SOURCE = "las/north/nb-int-01.md"
ALEX = Participant(id="tm", role="Team manager", pseudonym="Alex",
                   consent=Consent(uses=[ConsentUse.ANALYSIS, ConsentUse.INTERNAL_QUOTATION, ConsentUse.PUBLICATION]))
SAM = Participant(id="sw", role="Social worker", pseudonym="Sam", consent=Consent(uses=[ConsentUse.ANALYSIS], withdrawn=True))
PEOPLE = [ALEX, SAM]

# --- the spellings of a withdrawn speaker's label ------------------------------------------------

NAMES = ["Sam", "sam", "SAM", "sw", "Social worker", "social worker", "SOCIAL WORKER",
         "Sam (social worker)", "Sam (Social worker)", "Social worker (Sam)", "ＳＡＭ", "S&#97;m", "Sam&nbsp;(social worker)",
         "Sa<span>m</span>", "Sa**m**"]
INVISIBLE = ["", "\u200b", "\u00ad", "\u2060", "\ufeff"]  # zero-width space, soft hyphen, word joiner, BOM
SPACES = [" ", "\u00a0", "  ", "\t", "\u2009"]
MARKERS = ["**{}:**", "**{}**:", "*{}:*", "*{}*:", "_{}:_", "_{}_:", "__{}:__", "__{}__:", "{}:", "{} :", "** {} :**",
           "<b>{}:</b>", "\\*\\*{}:\\*\\*"]
PLACES = ["own paragraph", "after a sentence", "new line", "before another turn", "first line of an extract",
          "after a sentence inside an extract", "no full stop", "blockquote", "list item", "two paragraphs"]


@st.composite
def withdrawn_labels(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(NAMES))
    space = draw(st.sampled_from(SPACES))
    name = name.replace(" ", space)
    invisible = draw(st.sampled_from(INVISIBLE))
    if invisible and len(name) > 1:
        at = draw(st.integers(1, len(name) - 1))
        name = name[:at] + invisible + name[at:]
    return draw(st.sampled_from(MARKERS)).format(name)


def _secret(n: int) -> str:
    return f"zorblatt{'qxvkw'[n % 5]}{n}"


def _place(label: str, place: str, secret: str) -> str:
    """A transcript body with the withdrawn speaker's turn (holding ``secret``) at ``place``."""
    sam = f"{label} The families are short of money, {secret} every week."
    alex = "**Alex:** Caseloads are high."
    bodies = {
        "own paragraph": f"**Researcher:** Tell me.\n\n{alex}\n\n{sam}\n\n**Alex:** A reply that stays.\n",
        "after a sentence": f"**Researcher:** Tell me.\n\n{alex} {sam}\n",
        "new line": f"**Researcher:** Tell me.\n\n{alex}\n{sam}\n",
        "before another turn": f"{sam} **Alex:** A reply that stays.\n",
        "first line of an extract": f"**Researcher:** Tell me.\n\n::: extract id=e1 codes=S1\n{sam}\n:::\n",
        "after a sentence inside an extract": f"::: extract id=e1 codes=S1 by=tm\n{alex} {sam}\n:::\n",
        "no full stop": f"{alex[:-1]} and {sam}\n",
        "blockquote": f"{alex}\n\n> {sam}\n",
        "list item": f"{alex}\n\n- {sam}\n",
        "two paragraphs": f"{alex}\n\n{label} The families are short of money.\n\nAnd {secret} every week.\n",
    }
    return bodies[place]


@settings(max_examples=600, deadline=None)
@given(label=withdrawn_labels(), place=st.sampled_from(PLACES))
def test_the_parser_finds_a_withdrawn_speaker_in_every_spelling_and_place(label: str, place: str) -> None:
    """Pure functions, many cases: the turn is Sam's, redaction removes it, an extract holding it is Sam's."""
    secret = _secret(1)
    body = _place(label, place, secret)
    text = re.sub(r"^:::.*$", "", body, flags=re.MULTILINE)
    assert "sw" in speakers_of(text, PEOPLE, Method.INTERVIEW), (label, place)
    redacted = redact_withdrawn(text, PEOPLE, Method.INTERVIEW)
    assert secret not in redacted, (label, place)
    assert PLACEHOLDER in redacted and "Sam" not in redacted
    kept = [w for w in ("Tell me.", "Caseloads are high.", "A reply that stays.") if w in text]
    if place != "no full stop":  # there Alex's sentence runs on into Sam's marker
        assert all(w in redacted for w in kept), (label, place, redacted)


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.sampled_from(["alpha", "bravo", "Alex:", "**Sam:**", "Sam", ":", "**", "*", "_", ".", "\n",
                                       "\n\n", "(", ")", "[", "]", "\u200b", "\u00a0", "Researcher:", "sw:"]),
                      max_size=40), secret=st.just("zorblattqq"))
def test_random_markup_never_lets_a_withdrawn_turn_through(words: list[str], secret: str) -> None:
    """Whatever surrounds it, text after a withdrawn speaker's marker never survives redaction."""
    text = " ".join(words) + f" **Sam:** {secret}"
    assert secret not in redact_withdrawn(text, PEOPLE, Method.INTERVIEW)
    assert secret not in redact_withdrawn(text, PEOPLE, Method.FOCUS_GROUP)


@pytest.mark.parametrize("method", [Method.FIELD_NOTES, Method.OBSERVATION, Method.DOCUMENT, Method.WEB_RESEARCH,
                                    Method.CASE_NARRATIVE, Method.FLOWCHART])
@pytest.mark.parametrize("mention", ["Sam said: “zorblatt”.", "S\u200bam: zorblatt.", "**Sam** told me zorblatt.",
                                     "Later, SAM mentioned zorblatt.", "Sa*m* thinks zorblatt."])
def test_field_notes_lose_every_paragraph_naming_a_withdrawn_participant(method: Method, mention: str) -> None:
    text = f"09:30. Sat with Alex.\n\n{mention} Then the phone rang.\n\n14:00. Back upstairs."
    redacted = redact_withdrawn(text, PEOPLE, method)
    assert "zorblatt" not in redacted and "Sat with Alex." in redacted and "Back upstairs." in redacted
    assert "sw" in speakers_of(mention, PEOPLE, method)


def test_notes_and_researcher_labels_are_not_participants() -> None:
    speakers = Speakers.of(PEOPLE, ["Dr Q"])
    body = ("*A note about the room.*\n\n[Recording starts]\n\n**Interviewer:** One.\n\n**Facilitator:** Two.\n\n"
            "**Researcher 2:** Three.\n\n**Dr Q:** Four.\n\n**Alex (team manager):** Five.")
    turns, problems = parse_turns(body, 1, speakers)
    assert problems == []
    assert [t.speaker for t in turns] == ["note", "note", "researcher", "researcher", "researcher", "researcher", "tm"]


@pytest.mark.parametrize("body, line, expected", [
    ("**Researcher:** One.\n\nAn unlabelled paragraph.", 3, "cannot tell who is speaking"),
    ("**Researcher:** One.\n\n**Samuel:** Who is this?", 3, "names no participant"),
    ("**Researcher:** One.\n\n**Manager:** Who is this?", 3, "names no participant"),
    ("**Researcher:** One.\n\n**Alex (Sam):** Both?", 3, "more than one speaker"),
])
def test_a_paragraph_whose_speaker_cannot_be_told_is_a_problem_with_its_line(body: str, line: int, expected: str) -> None:
    _, problems = parse_turns(body, 1, Speakers.of(PEOPLE))
    assert [p.line for p in problems] == [line] and expected in problems[0].message


def test_a_role_two_participants_share_is_ambiguous() -> None:
    other = Participant(id="sw2", role="Social worker", pseudonym="Kim", consent=ALEX.consent)
    _, problems = parse_turns("**Social worker:** Who?", 1, Speakers.of([*PEOPLE, other]))
    assert len(problems) == 1 and "more than one speaker (sw, sw2)" in problems[0].message


# --- full builds ----------------------------------------------------------------------------------


def _copy() -> tuple[tempfile.TemporaryDirectory, Path]:
    holder = tempfile.TemporaryDirectory()
    content = Path(holder.name) / "content"
    shutil.copytree(FIXTURES / "mini", content)
    return holder, content


def _append(content: Path, body: str) -> None:
    source = content / SOURCE
    source.write_text(source.read_text() + "\n" + body, encoding="utf-8")


def _built_text(folder: Path) -> str:
    """Every text a built site holds, decoded: HTML unescaped, JSON strings, gzip members."""
    parts = []
    for path in folder.rglob("*"):
        if not path.is_file() or path.suffix in (".png", ".woff", ".woff2", ".ico"):
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        text = data.decode("utf-8", errors="replace")
        parts.append(text)
        if path.suffix in (".html", ".svg", ".xml"):
            parts.append(html.unescape(text))
        if path.suffix == ".json":
            parts.append(json.dumps(json.loads(text), ensure_ascii=False))
    return "\n".join(parts)


def _refused_then_fixed(content: Path) -> bool:
    """An extract whose by= leaves out a speaker is refused by check; the author then drops by=.
    A paragraph whose speaker can't be told is refused too: nothing is built (False)."""
    try:
        load_and_validate(content)
    except ContentError as error:
        if all("cannot tell who is speaking" in p.message for p in error.problems):
            return False
        assert all("by= leaves out sw" in p.message for p in error.problems), error.problems
        source = content / SOURCE
        source.write_text(source.read_text().replace(" by=tm\n**Alex:** Caseloads are high. ", "\n**Alex:** Caseloads are high. "))
        load_and_validate(content)
    return True


def _assert_absent(content: Path, out: Path, secrets: list[str]) -> None:
    if not _refused_then_fixed(content):
        return
    for audience in ("internal", "public"):
        target = out / audience
        assert build(content, out=target, la="north", quiet=True, audience=audience, workers=1) == 0
        text = _built_text(target).casefold()
        for secret in secrets:
            assert secret.casefold() not in text, (audience, secret)
        if audience == "internal":
            assert "caseloads in oakfield" in text  # the consenting speaker's words are still there


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(label=withdrawn_labels(), place=st.sampled_from(PLACES))
def test_built_sites_hold_no_withdrawn_words_in_any_spelling(label: str, place: str) -> None:
    holder, content = _copy()
    with holder:
        secret = _secret(7)
        _append(content, _place(label, place, secret))
        _assert_absent(content, Path(holder.name) / "site", [secret])


def test_every_variant_at_once_in_one_build(tmp_path: Path) -> None:
    """One build holding every marker style, name and place together (the cases hypothesis samples)."""
    holder, content = _copy()
    with holder:
        bodies, secrets = [], []
        n = 0
        for marker in MARKERS:
            for name in ("Sam", "Social worker", "sw", "Sam (social worker)", "S\u200bam", "Sam\u00a0(social\u00a0worker)"):
                for place in PLACES:
                    if place == "two paragraphs":
                        continue  # refused by check on its own (test_an_unlabelled_transcript_paragraph...)
                    n += 1
                    secrets.append(_secret(n))
                    body = _place(marker.format(name), place, secrets[-1]).replace("id=e1", f"id=e{n}")
                    bodies.append(body)
        _append(content, "\n".join(bodies))
        _assert_absent(content, tmp_path / "site", secrets)
        assert n == len(MARKERS) * 6 * (len(PLACES) - 1)


@pytest.mark.parametrize("by", ["by=tm", "", "by=tm,tm"])
def test_an_extract_whose_by_leaves_out_the_withdrawn_speaker(tmp_path: Path, by: str) -> None:
    holder, content = _copy()
    with holder:
        _append(content, f"::: extract id=hidden codes=S1 {by}\n**Alex:** Fine.\n\n**Sam:** zorblattby {by}\n:::\n")
        code_doc = content / "las/north/oakfield-S1.md"
        code_doc.write_text(code_doc.read_text().replace("  - nb-int-01#money\n", "  - nb-int-01#money\n  - nb-int-01#hidden\n"))
        if by:  # a by= that leaves Sam out is refused
            status, _, stderr = run_cli("check", str(content))
            assert status == 1 and f"content/{SOURCE}:" in stderr and "by= leaves out sw" in stderr
            (content / SOURCE).write_text((content / SOURCE).read_text().replace(f"hidden codes=S1 {by}", "hidden codes=S1"))
        _assert_absent(content, tmp_path / "site", ["zorblattby"])


def test_field_notes_naming_a_withdrawn_participant_build_without_them(tmp_path: Path) -> None:
    holder, content = _copy()
    with holder:
        notes = (content / SOURCE).read_text().split("---\n")[1].replace("nb-int-01", "nb-fn-01").replace(
            "method: interview", "method: field_notes").replace("Interview with", "Field notes on")
        (content / "las/north/nb-fn-01.md").write_text(
            "---\n" + notes + "---\n\n09:30. Sat with Alex all morning.\n\nSam: “zorblattfn one”, then left.\n\n"
            "::: extract id=quiet codes=S1 by=tm\nAlex and S\u200bam talked; Sam said zorblattfn two.\n:::\n")
        _assert_absent(content, tmp_path / "site", ["zorblattfn"])
        page = (tmp_path / "site/internal/sources/nb-fn-01.html").read_text()
        assert "Sat with Alex all morning." in page


def test_an_unlabelled_transcript_paragraph_fails_check_with_file_and_line(mini: Path) -> None:
    source = mini / SOURCE
    text = source.read_text() + "\nSomething said by somebody.\n"
    source.write_text(text)
    status, _, stderr = run_cli("check", str(mini))
    line = text.count("\n")
    assert status == 1 and "Traceback" not in stderr
    assert f"content/{SOURCE}:{line}: cannot tell who is speaking" in stderr


# --- quoting around consent -----------------------------------------------------------------------

SAM_TURN = "\n**Sam:** The last bus leaves at six, so nobody on the estate gets to the clinic.\n"
QUOTED = "The last bus leaves at six, so nobody on the estate gets to the clinic"

CASE_STUDY = """---
type: outcome_case_study
id: cs1
title: A case study
la: north
service: Reablement
subject: Mrs A
engaged_from: 2016-01-01
overall: as_hoped
background: {quote}
reasons_for_contact: Contact.
support: Support.
impacts:
  - {{outcome: Walk, area: Wellbeing, target: Soon, measured_by: Asking, actual: Walked, achieved: achieved}}
lessons: Lessons.
---
"""

REPORT_CARD = """---
type: report_card
id: rc1
title: A card
la: north
customers: Everyone.
measures:
  - id: m1
    name: Reviews
    group: how_well
    unit: "%"
    history: [{{period: "2015", value: 1}}, {{period: "2016", value: 2}}]
story: Story.
what_works: What works.
---

{quote}
"""

META = """---
type: meta_inference
id: mi1
title: A finding
statement: {quote}
fit: confirmatory
codes: [S1]
las: [north]
quantitative: [b1]
qualitative: [nb-int-01#caseloads]
---

Body.

```computed
id: b1
table: values
dataset: nb-staff
```
"""


def _quote_variants() -> list[str]:
    """The same words, reformatted: case, curly quotes, markup inside words, invisible characters, entities."""
    return [
        QUOTED,
        f"“{QUOTED.upper()}”",
        "The *last* bus le**aves** at six, so nobody",
        "The\u00a0last bus\u200b leaves at\u00ad six,\nso nobody on the estate",
        "the last bus — leaves — at six … so nobody",
        "Ｔｈｅ ｌａｓｔ bus leaves at six so nobody",
        "The last <em>bus</em> leaves&nbsp;at six, so nobody",
        "The last bus leaves at [six](https://example.org), so nobody",
    ]


def _problems(content: Path) -> list[str]:
    try:
        load_and_validate(content)
    except ContentError as error:
        return [str(p) for p in error.problems]
    return []


@pytest.mark.parametrize("quote", _quote_variants())
@pytest.mark.parametrize("kind", ["code_document", "meta_inference", "case_study", "report_card", "site", "la"])
def test_inline_quotes_of_a_withdrawn_speaker_fail_check_naming_both_files(mini: Path, kind: str, quote: str) -> None:
    (mini / SOURCE).write_text((mini / SOURCE).read_text() + SAM_TURN)
    north = mini / "las/north"
    if kind == "code_document":
        doc = north / "oakfield-S1.md"
        doc.write_text(doc.read_text() + f"\n{quote}\n")
    elif kind == "meta_inference":
        doc = mini / "mi1.md"
        doc.write_text(META.format(quote=json.dumps(quote)))
    elif kind == "case_study":
        doc = north / "cs1.md"
        doc.write_text(CASE_STUDY.format(quote=json.dumps(quote)))
    elif kind == "report_card":
        doc = north / "rc1.md"
        doc.write_text(REPORT_CARD.format(quote=quote))
    else:
        doc = north / ("site.md" if kind == "site" else "la.md")
        doc.write_text(doc.read_text() + f"\n{quote}\n")
    problems = _problems(mini)
    shown = doc.relative_to(mini.parent).as_posix()
    messages = [m for m in problems if "quotes “" in m]
    assert len(messages) == 1, problems
    line = (mini / SOURCE).read_text().count("\n")
    assert messages[0].startswith(shown + ":") and f"content/{SOURCE}:{line}," in messages[0] and "withdrew consent" in messages[0]
    assert "nobody" not in messages[0] and "six" not in messages[0]  # three words at most, never the quotation


def test_an_internal_only_quote_pasted_into_a_code_document_fails_check(mini: Path, tmp_path: Path) -> None:
    source = mini / SOURCE
    source.write_text(source.read_text().replace(
        "    consent: {uses: [analysis, internal_quotation, publication]}",
        "    consent: {uses: [analysis, internal_quotation]}"))
    doc = mini / "las/north/oakfield-S1.md"
    doc.write_text(doc.read_text() + "\nAs the manager put it, “Caseloads in Oakfield are around twenty-north each”.\n")
    status, _, stderr = run_cli("check", str(mini))
    assert status == 1 and "did not consent to publication" in stderr
    assert "content/las/north/oakfield-S1.md:" in stderr and f"content/{SOURCE}:" in stderr
    # and the build refuses, so the words never reach a public site
    status, _, _ = run_cli("build", str(mini), "--audience", "public", "--out", str(tmp_path / "public"))
    assert status == 1 and not (tmp_path / "public").exists()


def test_uncited_quotes_fail_and_cited_published_quotes_pass(mini: Path) -> None:
    doc = mini / "las/north/oakfield-S1.md"
    quote = "\n“Caseloads in Oakfield are around twenty-north each,” the manager said.\n"
    doc.write_text(doc.read_text().replace("  - nb-int-01#caseloads\n", "") + quote)
    status, _, stderr = run_cli("check", str(mini))
    assert status == 1 and "does not cite" in stderr
    doc.write_text(doc.read_text().replace("extracts:\n", "extracts:\n  - nb-int-01#caseloads\n"))
    status, _, stderr = run_cli("check", str(mini))
    assert status == 0, stderr
    # seven words are not a quotation; the researcher's own words are not protected
    doc.write_text(doc.read_text().replace(quote, "\nCaseloads in Oakfield are around twenty-north, we heard. Tell me about the team.\n"))
    status, _, stderr = run_cli("check", str(mini))
    assert status == 0, stderr


def test_quote_words_is_configurable(mini: Path) -> None:
    (mini / "project.md").write_text((mini / "project.md").read_text().replace("fictional: true", "fictional: true\nquote_words: 4"))
    doc = mini / "las/north/oakfield-S1.md"
    doc.write_text(doc.read_text() + "\nThey are short of money, we think.\n")
    status, _, stderr = run_cli("check", str(mini))
    assert status == 1 and "(4+ words in a row)" in stderr


def test_the_demo_passes_every_consent_check() -> None:
    from ..conftest import DEMO

    study, warnings = load_and_validate(DEMO)  # raises ContentError on any problem
    assert study.sources


# --- surveys --------------------------------------------------------------------------------------

SURVEY = """---
type: survey
id: voices
title: Voices
la: north
collection: [online]
questions:
  - id: comments
    kind: open
    column: Q1
    text: Anything else?
    consent: quote-ok
  - id: quote-ok
    kind: yes_no
    column: Q2
    text: May we quote you?
    options:
{options}
waves:
  - {{id: w1, label: Wave 1, file: w1.csv, population: 10}}
---
"""


@pytest.mark.parametrize("options, yes, no", [
    ('      - {code: "1", label: "No"}\n      - {code: "2", label: "Yes"}', "2", "1"),
    ('      - {code: "N", label: "No, please don\'t"}\n      - {code: "Y", label: "Yes, you may"}', "Y", "N"),
    ('      - {code: "1", label: "Na chewch", label_cy: "Na chewch"}\n      - {code: "2", label: "Cewch", label_cy: "Cewch"}', "2", "1"),
    ('      - {code: "2", label: "Yes"}\n      - {code: "1", label: "No"}', "2", "1"),
])
def test_open_answers_of_people_who_said_no_are_never_published(mini: Path, tmp_path: Path, options: str, yes: str, no: str) -> None:
    (mini / "las/north/survey.md").write_text(SURVEY.format(options=options), encoding="utf-8")
    (mini / "las/north/w1.csv").write_text(f"ResponseId,Q1,Q2\nR1,Please zorblattno quote me not.,{no}\n"
                                           f"R2,The carers are kind.,{yes}\n", encoding="utf-8")
    for audience in ("internal", "public"):
        out = tmp_path / audience
        assert build(mini, out=out, la="north", quiet=True, audience=audience, workers=1) == 0
        text = _built_text(out)
        assert "zorblattno" not in text and "The carers are kind." in text


def test_a_consent_question_with_no_recognisable_yes_fails_check(mini: Path) -> None:
    options = '      - {code: "1", label: "Maybe"}\n      - {code: "2", label: "Perhaps"}'
    (mini / "las/north/survey.md").write_text(SURVEY.format(options=options), encoding="utf-8")
    (mini / "las/north/w1.csv").write_text("ResponseId,Q1,Q2\nR1,Hello.,1\n", encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_and_validate(mini)
    assert any("cannot tell which answer agrees to quotation" in str(p) and "survey.md:" in str(p) for p in error.value.problems)


# --- the demo, scanned file by file -------------------------------------------------------------


def test_the_demo_builds_hold_no_six_word_run_of_a_withdrawn_participant(demo_site: Path, tmp_path: Path) -> None:
    """Every run of six words any withdrawn participant says in the demo, against every file built from it."""
    from generator.content.loader import load_study
    from generator.content.turns import is_transcript
    from generator.quoting import words

    from ..conftest import DEMO

    study, _ = load_study(DEMO)
    runs: set[tuple[str, ...]] = set()
    las = set()
    sites = {s.model.id: s.model.la for s in study.sites}
    for source in study.sources:
        gone = {p.id for p in source.model.participants if p.consent.withdrawn}
        if not gone:
            continue
        las.add(sites[source.model.site])
        turns, _ = parse_turns(source.body, 1, Speakers.of(source.model.participants), is_transcript(source.model.method))
        for turn in turns:
            if turn.speaker in gone:
                said = words(source.body[turn.words_at:turn.end])
                runs |= {tuple(said[i:i + 6]) for i in range(len(said) - 5)}
    assert len(runs) > 50, "the demo keeps a withdrawn participant with several turns"
    folders = [demo_site / "cross-case"] + [demo_site / "la" / la for la in sorted(las)]
    for la in sorted(las):
        assert build(DEMO, out=tmp_path / la, la=la, quiet=True, audience="public", workers=1) == 0
        folders.append(tmp_path / la)
    for folder in folders:
        built = words(_built_text(folder))
        found = {tuple(built[i:i + 6]) for i in range(len(built) - 5)} & runs
        assert not found, (folder, len(found))


def test_field_notes_speech_of_a_withdrawn_participant_cannot_be_pasted_elsewhere(mini: Path) -> None:
    notes = (mini / SOURCE).read_text().split("---\n")[1].replace("nb-int-01", "nb-fn-01").replace(
        "method: interview", "method: field_notes")
    (mini / "las/north/nb-fn-01.md").write_text(
        "---\n" + notes + "---\n\n10:15. Sam, on the phone: “the panel never reads the second page of the form”.\n")
    doc = mini / "las/north/oakfield-S1.md"
    doc.write_text(doc.read_text() + "\nWe heard that the panel never reads the second page of the form.\n")
    problems = [p for p in _problems(mini) if "quotes “" in p]
    assert len(problems) == 1 and "content/las/north/nb-fn-01.md:" in problems[0] and "withdrew consent" in problems[0]


def test_by_naming_someone_who_never_speaks_in_a_transcript_extract_is_refused(mini: Path) -> None:
    _append(mini, "::: extract id=alone codes=S1 by=tm,sw\n**Alex:** Only Alex speaks here.\n:::\n")
    assert any("by= lists sw, who has no turn in this extract" in p for p in _problems(mini))


def test_a_consent_question_may_name_its_yes_answer_by_code(mini: Path, tmp_path: Path) -> None:
    options = '      - {code: "1", label: "Maybe"}\n      - {code: "2", label: "Perhaps"}'
    text = SURVEY.format(options=options).replace("    text: May we quote you?\n", "    text: May we quote you?\n    positive: [\"2\"]\n")
    (mini / "las/north/survey.md").write_text(text, encoding="utf-8")
    (mini / "las/north/w1.csv").write_text("ResponseId,Q1,Q2\nR1,Not me zorblattpos.,1\nR2,The carers are kind.,2\n", encoding="utf-8")
    assert build(mini, out=tmp_path / "site", la="north", quiet=True, audience="public", workers=1) == 0
    text = _built_text(tmp_path / "site")
    assert "zorblattpos" not in text and "The carers are kind." in text
