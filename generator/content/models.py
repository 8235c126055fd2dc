"""The content model: one typed class per kind of document, declared once.

The front-matter ``type`` selects the class. Each field's docstring is its
documentation: validation messages and the authoring guide
(``python -m generator docs``) are both produced from these declarations.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
# A code id is any slug a researcher writes, case kept: `P1`, `access`, `barriers.transport`, `LAC-2`.
CodeId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$", max_length=64)]
# An answer's id, as survey and QDA tools write them: lower case, digits, '-' and '_'
AnswerId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
ExtractRef = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*#[a-z0-9][a-z0-9-]*$", max_length=140)
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000, strip_whitespace=True)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]
# A glossary term as pages write it: letters and digits, with spaces, '.', '/', '&', "'" or '-' between
Term = Annotated[str, StringConstraints(pattern=r"^[^\W_](?:[\w .&'/-]*[^\W_])?$", max_length=40)]
# One line of words (a meaning shown as a tooltip): no line break
LineText = Annotated[str, StringConstraints(pattern=r"^[^\n\r]+$", min_length=1, max_length=300, strip_whitespace=True)]

# Keys Material for MkDocs reads from front-matter; allowed on every document.
MATERIAL_KEYS = ("tags", "hide", "search")


class Nation(str, Enum):
    ENGLAND = "England"
    SCOTLAND = "Scotland"
    WALES = "Wales"
    NORTHERN_IRELAND = "Northern Ireland"


class DeprivationThird(str, Enum):
    HIGH = "high"
    MIDDLE = "middle"
    LOW = "low"


class Method(str, Enum):
    INTERVIEW = "interview"
    FOCUS_GROUP = "focus_group"
    FIELD_NOTES = "field_notes"
    OBSERVATION = "observation"
    DOCUMENT = "document"
    CASE_NARRATIVE = "case_narrative"
    FLOWCHART = "flowchart"
    WEB_RESEARCH = "web_research"


class Fit(str, Enum):
    """How the quantitative and qualitative strands fit (Fetters, Curry & Creswell 2013)."""

    CONFIRMATORY = "confirmatory"
    EXPANSIONARY = "expansionary"
    DISCORDANT = "discordant"


class Replication(str, Enum):
    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    NO_DATA = "no_data"


class ConsentUse(str, Enum):
    ANALYSIS = "analysis"
    INTERNAL_QUOTATION = "internal_quotation"
    PUBLICATION = "publication"
    ARCHIVING = "archiving"


class AreaType(str, Enum):
    LSOA = "LSOA"
    MSOA = "MSOA"
    DATA_ZONE = "DZ"
    INTERMEDIATE_ZONE = "IZ"


class ColumnType(str, Enum):
    INTEGER = "integer"
    NUMBER = "number"
    STRING = "string"
    DATE = "date"
    BOOLEAN = "boolean"


class ColumnRole(str, Enum):
    """What a column's figures are, which decides how disclosure control treats them."""

    COUNT = "count"  # people or events: small values are hidden in public builds
    TOTAL = "total"  # a count that is the sum of the row's other counts (a margin)
    RATE = "rate"  # derived from counts (per 10,000 ...): hidden where its count is
    SHARE = "share"
    MEAN = "mean"
    AMOUNT = "amount"  # money or other quantities that are not people
    SCORE = "score"  # an index or score (deprivation, price index)
    IDENTIFIER = "identifier"
    LABEL = "label"
    YEAR = "year"


class DisclosureMethod(str, Enum):
    SUPPRESS = "suppress"
    ROUND = "round"


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        use_enum_values=False,
        str_strip_whitespace=True,
    )


class Document(_Model):
    """Fields every content document shares."""

    tags: list[ShortText] = []
    """Material for MkDocs tags for the page (optional)."""
    hide: list[ShortText] = []
    """Material for MkDocs parts of the page to hide, such as `toc` (optional)."""
    search: dict[str, bool] = {}
    """Material for MkDocs search settings for the page, such as `exclude: true` (optional)."""


class MinimumData(_Model):
    """What each site should hold by the end of fieldwork."""

    interviews: int = Field(default=0, ge=0)
    """Interviews (method `interview`)."""
    focus_groups: int = Field(default=0, ge=0)
    """Focus groups (method `focus_group`)."""
    observation_hours: float = Field(default=0, ge=0)
    """Hours of observation: the `hours` of field notes and observation records."""
    family_case_narratives: int = Field(default=0, ge=0)
    """Family case narratives (method `case_narrative`)."""
    flowcharts: int = Field(default=0, ge=0)
    """Decision-making flowcharts (method `flowchart`)."""
    routine_data: bool = False
    """At least one dataset about the site's LA."""
    web_research: bool = False
    """At least one web research record (method `web_research`)."""


class VignetteOutcome(_Model):
    """One outcome a focus group may expect for the vignette's family, as `project.md` declares it."""

    id: AnswerId
    """Short id in lower case (`-` or `_` between words), written in a focus group's answers."""
    label: ShortText
    """The outcome as pages name it."""


class Theme(_Model):
    """One theme of the coding frame, as `project.md` declares it."""

    id: Slug
    """Short id in lower case."""
    label: ShortText
    """The theme's name as pages show it."""
    colour: Colour | None = None
    """Colour of its chips and matrix columns, as `#RRGGBB`; by default one of the Okabe-Ito colours, safe for colour-blind readers."""


class GlossaryEntry(_Model):
    """One abbreviation or term of the field, as `project.md`'s glossary explains it."""

    term: Term
    """The abbreviation as pages write it, e.g. `CIN`, `CPP`, `s47`: letters and digits, with spaces, `.`, `/`, `&`, `'` or `-` between."""
    meaning: LineText
    """What it stands for, e.g. `child in need` (one line)."""
    meaning_cy: LineText | None = None
    """The meaning in Welsh, for Welsh sites."""


class Project(Document):
    """The study itself: one per content folder, in `project.md`. The body introduces the cross-case site."""

    type: Literal["project"]
    title: ShortText
    """The study's title, shown on the landing page and the cross-case site."""
    team: ShortText | None = None
    """Who runs the study (a research group, an LA improvement team)."""
    fictional: bool = False
    """True when the content is invented (demo or training material); every page then says so."""
    base_year: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}$")] = "2015-16"
    """Financial year whose prices spending is shown at (constant prices), e.g. `2015-16`."""
    minimum_data: MinimumData | None = None
    """The minimum data the study plans to collect per site; the overview's tracker compares each site with it (no tracker without it; a minimum left at 0 is not tracked)."""
    small_counts: int = Field(default=4, ge=0, le=100)
    """In public builds, counts from 1 to this number are suppressed (with any figure that would reveal them)."""
    disclosure: DisclosureMethod = DisclosureMethod.SUPPRESS
    """How public builds protect small counts: `suppress` (hide them and whatever would reveal them) or `round` (every count and total rounded on its own to the nearest `rounding_base`)."""
    rounding_base: int = Field(default=5, ge=2, le=100)
    """The base counts are rounded to with `disclosure: round`."""
    identifier_register: ShortText = "private/identifiers.txt"
    """Path, from the project folder, of the register of real names and other identifiers that must never appear in content (one per line, `#` for comments). Keep it out of git and out of `content/`; `check` fails wherever one appears."""
    vignette_questions: list[ShortText] = Field(default_factory=list, max_length=4)
    """The four structured questions of a focus-group vignette, in order, for a study whose focus groups answer one (the cross-case report then compares their answers)."""

    vignette_outcomes: list[VignetteOutcome] = []
    """The outcomes a focus group may give for the vignette's questions 2 and 3, in order (needed with `vignette_questions`)."""

    @model_validator(mode="after")
    def _vignette(self) -> Project:
        if self.vignette_questions and len(self.vignette_questions) != 4:
            raise ValueError("vignette_questions: give all four questions of the vignette, in order")
        if self.vignette_questions and not self.vignette_outcomes:
            raise ValueError("vignette_outcomes: list the outcomes the focus groups may give (each with id and label)")
        return self
    external_links: bool = False
    """True to let content link to other web sites (https, http, mailto); they open with `rel="noopener noreferrer"`. Images from other hosts are never shown."""
    researchers: list[ShortText] = []
    """Labels of the research team's own turns in transcripts, besides `Researcher`, `Interviewer`, `Facilitator` and `Moderator` (e.g. an interviewer's initials)."""
    abbreviations: list[ShortText] = []
    """Abbreviations to write in capitals where pages turn a value name into words (`cp_plans_started` is "CP plans started" with `CP` listed). Glossary terms count too."""
    glossary: list[GlossaryEntry] = []
    """The field's abbreviations and terms with what they mean: each site gets a glossary page, and generated text (headings, tables, chart captions) shows a term's meaning when a reader points at it or focuses it."""
    site_selection: Text | None = None
    """How the study chose its local authorities and sites (Markdown), shown at the top of the site-selection page."""
    themes: list[Theme] = []
    """The coding frame's themes, in the order the matrix shows them. Leave out to let codes name their themes."""
    quote_words: int = Field(default=8, ge=3, le=100)
    """This many words in a row from a participant's transcript turn, found in any other document, must be a cited extract whose speakers consented to publication (`check` fails otherwise)."""


class Deprivation(_Model):
    """How deprived an LA is, as published in an index of multiple deprivation."""

    index: ShortText
    """The index the figures come from, e.g. `IMD 2015` or `SIMD 2016`."""
    score: float = Field(ge=0)
    """Population-weighted mean score of the LA's small areas (higher is more deprived)."""
    rank: int | None = Field(default=None, ge=1)
    """Rank among the LAs of the nation, 1 = most deprived."""
    of: int | None = Field(default=None, ge=1)
    """How many LAs were ranked (the denominator of `rank`)."""
    third: DeprivationThird
    """Deprivation third among the LAs ranked: `high`, `middle` or `low`."""

    @model_validator(mode="after")
    def _rank_within(self) -> Deprivation:
        if self.rank is not None and self.of is not None and self.rank > self.of:
            raise ValueError(f"rank {self.rank} is larger than the number of LAs ranked ({self.of})")
        return self


class LocalAuthority(Document):
    """A local authority hosting one or more case-study sites. The body is its overview text."""

    type: Literal["local_authority"]
    id: Slug
    """Short id in lower case, used in links and folder names, e.g. `harrowmere`."""
    name: ShortText
    """The LA's name as readers know it."""
    nation: Nation
    """`England`, `Scotland`, `Wales` or `Northern Ireland`."""
    deprivation: Deprivation | None = None
    """Deprivation figures for the LA (index, score, rank, third), for a study that compares LAs by deprivation."""
    child_population: int | None = Field(default=None, ge=0)
    """Children aged 0-17 living in the LA (for rates per 10,000)."""
    population_year: int | None = Field(default=None, ge=1900, le=2100)
    """The year `child_population` refers to."""
    languages: list[Literal["en", "cy"]] = Field(default_factory=lambda: ["en"], min_length=1)
    """Languages the LA's site is published in: `[en]`, `[cy]` or `[en, cy]` (both, with a language switcher)."""
    name_cy: ShortText | None = None
    """The LA's name in Welsh."""
    site_title: ShortText | None = None
    """The LA site's title (default: the LA's name and the study's title), e.g. for an improvement team's own site."""
    site_title_cy: ShortText | None = None
    """The same in Welsh (default: `site_title`)."""


class SmallArea(_Model):
    """One census small area that forms part of a site."""

    code: Annotated[str, StringConstraints(pattern=r"^[A-Z][0-9A-Z]{8}$")]
    """Official area code, e.g. an MSOA `E02001234` or an intermediate zone `S02000123`."""
    name: ShortText | None = None
    """The area's name, if it has one."""
    population: int = Field(ge=0)
    """Resident population."""
    imd_score: float | None = Field(default=None, ge=0)
    """The area's deprivation score in the LA's index (higher is more deprived)."""


class Site(Document):
    """A case-study site: a cluster of small areas inside one LA. The body describes it."""

    type: Literal["site"]
    id: Slug
    """Short id in lower case, e.g. `eastgate`."""
    name: ShortText
    """The name the team uses for the site."""
    la: Slug
    """Id of the LA the site lies in."""
    area_type: AreaType | None = None
    """Kind of small area the site is made of: `MSOA`, `LSOA`, `IZ` or `DZ` (needed with `small_areas`)."""
    small_areas: list[SmallArea] = []
    """The small areas forming the site, each with `code`, `population` and optionally `name` and `imd_score`; for a study that builds its sites from census areas."""

    @model_validator(mode="after")
    def _areas(self) -> Site:
        if self.small_areas and self.area_type is None:
            raise ValueError("small_areas needs area_type (MSOA, LSOA, IZ or DZ): the kind of area the codes are")
        return self


class Code(Document):
    """One entry of the coding frame. The body may hold longer coding guidance."""

    type: Literal["code"]
    id: CodeId
    """The code as analysts write it: letters, digits, and `.`, `-` or `_` between them, case kept (`P1`, `access`, `barriers.transport`)."""
    label: ShortText
    """A few words naming the code."""
    group: ShortText
    """The theme the code belongs to: the id or label of one of the project's `themes`. A project that lists no themes gets one per name its codes use."""
    parent: CodeId | None = None
    """Id of the broader code this one refines (a code tree, as QDA programs keep it)."""
    description: Text
    """What the code captures: when to apply it."""
    inductive: bool = False
    """True for a code that emerged from the data rather than the research questions."""
    order: int = 0
    """Position within its group in the matrix (lower first; ties sort by id)."""


class Consent(_Model):
    """What a participant agreed to, and whether they have since withdrawn."""

    uses: list[ConsentUse] = Field(min_length=1)
    """Uses agreed to: `analysis`, `internal_quotation`, `publication`, `archiving`."""
    withdrawn: bool = False
    """True once the participant withdraws: their words then leave every build."""
    date: dt.date | None = None
    """When consent was given (or withdrawn)."""


class Participant(_Model):
    """A person whose words appear in a source, known only by role and pseudonym."""

    id: Slug
    """Short id used in extracts' `by=`, e.g. `tm` or `sw2`."""
    role: ShortText
    """Their role, e.g. `Team manager`, `Social worker`."""
    pseudonym: ShortText | None = None
    """A made-up name used when quoting them; never a real name."""
    consent: Consent
    """What they consented to."""


class VignetteAnswers(_Model):
    """What a focus group concluded on the four structured questions of the vignette."""

    preferred_response_factors: list[ShortText] = Field(min_length=1)
    """Question 1: the factors the group said mattered most for its own preferred response (short phrases)."""
    initial_outcome: AnswerId
    """Question 2: the most likely outcome in the team after the first enquiries (an id of the project's `vignette_outcomes`)."""
    likely_outcome: AnswerId
    """Question 3: the likely outcome after part two (an id of the project's `vignette_outcomes`)."""
    outcome_factors: list[ShortText] = Field(min_length=1)
    """Question 4: the factors the group said would decide that outcome."""


class Source(Document):
    """A coded source: transcript, field notes, observation record or document.

    The body is the text itself. Coded extracts are marked in it with
    `::: extract id=ID codes=CODE,CODE [by=PARTICIPANT,...]` on a line of its
    own, the passage, and a closing `:::` line.
    """

    type: Literal["source"]
    id: Slug
    """Short id in lower case, unique in the project, e.g. `hm-int-01`."""
    title: ShortText
    """A descriptive title, e.g. `Interview with the duty team manager`."""
    site: Slug
    """Id of the case-study site the source belongs to."""
    method: Method
    """How it was collected: `interview`, `focus_group`, `field_notes`, `observation`, `document`, `case_narrative` (a family's case narrative), `flowchart` (a decision-making flowchart) or `web_research`."""
    date: dt.date
    """When it was collected (YYYY-MM-DD)."""
    hours: float | None = Field(default=None, ge=0)
    """Hours of observation or fieldwork the source records."""
    participants: list[Participant] = []
    """Everyone whose words appear, each with `id`, `role`, `pseudonym` and `consent`."""
    vignette: VignetteAnswers | None = None
    """A focus group's answers to the four structured vignette questions."""

    @model_validator(mode="after")
    def _unique_participants(self) -> Source:
        if self.vignette is not None and self.method is not Method.FOCUS_GROUP:
            raise ValueError("vignette answers belong to a focus group (method: focus_group)")
        ids = [p.id for p in self.participants]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"participant id(s) listed twice: {', '.join(repeated)}")
        return self


class CodeDocument(Document):
    """One cell of the framework matrix: what the data say for one site and one code.

    The body is the analyst's summary; the matrix shows its opening words.
    """

    type: Literal["code_document"]
    site: Slug
    """Id of the site (the matrix row)."""
    code: CodeId
    """Id of the code (the matrix column)."""
    extracts: list[ExtractRef] = []
    """Coded extracts drawn on, each as `source-id#extract-id`."""
    datasets: list[Slug] = []
    """Ids of datasets whose tables belong in this cell."""

    @property
    def id(self) -> str:
        return f"{self.site}-{self.code}"


class Column(_Model):
    """One column of a dataset's CSV file."""

    name: ShortText
    """The column's header in the CSV, exactly."""
    type: ColumnType
    """`integer`, `number`, `string`, `date` (YYYY-MM-DD) or `boolean` (true/false)."""
    unit: ShortText | None = None
    """Unit of the values, e.g. `£ thousands`, `children`, `per 10,000 children`."""
    label: ShortText | None = None
    """A few words naming the column in table headings, chart axes and legends, e.g. `CP plans started`. Without one, a description of up to 60 characters is used; `check` warns about a figures column that has neither."""
    label_cy: ShortText | None = None
    """The label in Welsh, for Welsh sites."""
    description: ShortText | None = None
    """What the column holds."""
    required: bool = False
    """True if no cell may be blank."""
    values: list[ShortText] = []
    """The only values allowed in this column (e.g. the service categories), if it is a fixed list."""
    missing_codes: dict[str, ShortText] = {}
    """Cell values that stand for a missing figure, with what each means, e.g. DfE's `c: suppressed (small number)`, `x: not available`, `z: not applicable`, `u: low reliability`. They are read as missing and the reason is kept."""
    role: ColumnRole | None = None
    """What the figures are: `count` (people or events), `total` (a count summing the row's other counts), `rate`, `share`, `mean`, `amount` (money), `score`, `identifier`, `label` or `year`. Public builds hide small counts by role; an undeclared whole-number column is treated as a count (and `check` warns)."""


class Dataset(Document):
    """A CSV file of figures, described here. The body says how to read it."""

    type: Literal["dataset"]
    id: Slug
    """Short id in lower case, e.g. `hm-referrals`."""
    title: ShortText
    """What the table shows."""
    file: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    """Path to the CSV, relative to this file; it must stay inside the content folder."""
    columns: list[Column] = Field(min_length=1)
    """Every column of the CSV, in any order."""
    provenance: Text
    """Where the figures come from (publisher, table, date retrieved)."""
    licence: ShortText
    """Licence of the figures, e.g. `Open Government Licence v3.0`."""
    la: Slug | None = None
    """Id of the LA the whole dataset belongs to, if it belongs to one."""
    la_column: ShortText | None = None
    """Column holding LA ids, for a dataset covering several LAs: each LA's site shows its own rows only."""
    la_names: list[ShortText] = []
    """Columns naming or coding local authorities, e.g. `[la_name, new_la_code]` (the importers fill it in). Every LA named there, in the study or not, is one no other LA's site may mention: `check` and the final scan of each built site look for it."""
    keys: list[ShortText] = []
    """Columns that together identify a row, e.g. `[la, year]`. Each combination must appear once, and the table must be complete: every LA has every year."""
    totals_of: Slug | None = None
    """Id of a dataset whose counts this one's add up (e.g. totals by LA of a dataset by LA and age): public builds protect hidden cells across the two."""

    @model_validator(mode="after")
    def _la_column_declared(self) -> Dataset:
        names = [c.name for c in self.columns]
        unknown = [k for k in self.keys if k not in names]
        if unknown:
            raise ValueError(f"keys {', '.join(unknown)} not among the declared columns ({', '.join(names)})")
        unknown = [k for k in self.la_names if k not in names]
        if unknown:
            raise ValueError(f"la_names {', '.join(unknown)} not among the declared columns ({', '.join(names)})")
        if self.la_column is not None and self.la_column not in names:
            raise ValueError(f"la_column '{self.la_column}' is not one of the declared columns ({', '.join(names)})")
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"column(s) declared twice: {', '.join(repeated)}")
        return self


class MetaInference(Document):
    """A conclusion drawn by integrating both strands, with how they fit. The body discusses it."""

    type: Literal["meta_inference"]
    id: Slug
    """Short id in lower case, e.g. `filtering-to-early-help`."""
    title: ShortText
    """A few words naming the finding."""
    statement: Text
    """The meta-inference itself, in one or two sentences."""
    fit: Fit
    """How the strands fit: `confirmatory`, `expansionary` or `discordant`."""
    discordance: Text | None = None
    """For a discordant fit: how the team handled the disagreement (required then)."""
    codes: list[CodeId] = Field(min_length=1)
    """Codes the finding concerns."""
    las: list[Slug] = Field(min_length=1)
    """LAs the finding concerns."""
    quantitative: list[Slug] = []
    """The quantitative strand, at least one: ids of computed tables or charts (the `id:` of a computed block anywhere in the content), or of datasets."""
    qualitative: list[ExtractRef] = []
    """The qualitative strand, at least one: extracts, each as `source-id#extract-id`."""
    replication: dict[Slug, Replication] = {}
    """For the cross-case report: for each LA, whether its data `supports` or `contradicts` the finding (`no_data` if left out)."""

    @model_validator(mode="after")
    def _evidence(self) -> MetaInference:
        if self.fit is Fit.DISCORDANT and not self.discordance:
            raise ValueError("a discordant meta-inference needs 'discordance': how the team handled the disagreement")
        if not self.quantitative or not self.qualitative:
            raise ValueError("a meta-inference integrates both strands: give at least one 'quantitative' and one 'qualitative' reference")
        return self


class CollectionMode(str, Enum):
    ONLINE = "online"
    POSTAL = "postal"
    TELEPHONE = "telephone"
    FACE_TO_FACE = "face_to_face"


class SurveyOption(_Model):
    """One answer a closed question allows."""

    code: ShortText
    """The code the survey tool exports (or the answer text, if it exports text)."""
    label: ShortText | None = None
    """The answer as shown in English. May be left out when the survey's `structure` file gives it, or, for a check-all option, the export's own headings do (LimeSurvey's "question code & question text" headings, Qualtrics' second header row)."""
    label_cy: ShortText | None = None
    """The answer as shown in Welsh (read from the `structure` file's Welsh language when left out)."""
    column: ShortText | None = None
    """For a check-all (`multiple`) question exported one column per option: that option's column. Default: the question's column and this code as the tool names it, `B8[SQ001]` (LimeSurvey) or `Q2_1` (Qualtrics)."""


class SurveyQuestion(_Model):
    """One question of a survey, with its answers in English and Welsh."""

    id: Slug
    """Short id, e.g. `dignity`."""
    kind: Literal["likert", "single", "multiple", "yes_no", "open"]
    """`likert` (an ordered scale), `single` (one choice), `multiple` (check all that apply), `yes_no` or `open` (free text)."""
    column: ShortText
    """The column of the responses CSV holding the answers (its header, or the question code in it). For a check-all question exported one column per option, the question code those columns start with (`B8`, `Q2`)."""
    text: Text
    """The question in English."""
    text_cy: Text | None = None
    """The question in Welsh."""
    options: list[SurveyOption] = []
    """The answers, in scale order for a likert question (not for open questions). May be left out when the survey's `structure` file lists them, or, for a check-all question, when the export has a column per option: then every option the file gives is used, less the `non_substantive` ones."""
    non_substantive: list[SurveyOption] = []
    """Answers kept apart from the scale, such as "Don't know" or "Prefer not to say". For a check-all question: options whose respondents are counted apart, not in the base of the shares."""
    direction: Literal["positive_high", "positive_low"] | None = None
    """Required for a likert scale: whether the last (`positive_high`) or first (`positive_low`) option is the best."""
    positive: list[ShortText] = []
    """Codes that count as a positive answer. Default for a likert scale: the favourable half at the end `direction` names (1 of 2 or 3 points, 2 of 4 or 5, 3 of 6 or 7; the middle of an odd scale never counts); for yes/no: Yes."""
    separator: ShortText | None = None
    """For a check-all question exported in one column: the text between the chosen answers, e.g. `,`."""
    consent: Slug | None = None
    """For an open question: the id of the yes/no question asking whether the answer may be quoted.
    Only answers whose writer said yes are shown (the option in that question's `positive`, else the one labelled Yes, Cewch, Ie or Do; never decided by order); without it no answer is shown, only how many there were."""


class SurveyWave(_Model):
    """One round of the survey."""

    id: Slug
    """Short id, e.g. `2016`."""
    label: ShortText
    """How readers know the wave, e.g. `Wave 1 (autumn 2016)`."""
    label_cy: ShortText | None = None
    """The same in Welsh, e.g. `Ton 1 (hydref 2016)`."""
    file: ShortText
    """The responses CSV as the survey tool exported it, relative to this file."""
    population: int = Field(ge=1)
    """How many people were invited (for the response rate)."""
    fielded: dt.date | None = None
    """When the wave closed."""


class Survey(Document):
    """A survey repeated in waves: its questions (English and Welsh) and each wave's responses."""

    type: Literal["survey"]
    id: Slug
    """Short id in lower case."""
    title: ShortText
    """The survey's title in English."""
    title_cy: ShortText | None = None
    """The survey's title in Welsh."""
    la: Slug
    """Id of the LA that ran it."""
    collection: list[CollectionMode] = Field(min_length=1)
    """How it was collected: `online`, `postal`, `telephone`, `face_to_face`."""
    questions: list[SurveyQuestion] = Field(min_length=1)
    """The questions."""
    waves: list[SurveyWave] = Field(min_length=1)
    """The waves, oldest first."""
    structure: ShortText | None = None
    """The survey's structure file as the tool exports it (LimeSurvey `.lss`, Qualtrics `.qsf`), relative to this file. Answer labels, and options, that the questions leave out are read from it, so a code-only export needs no labels typed by hand."""
    breakdowns: list[Slug] = []
    """Ids of single-choice questions (such as the service received) to break every scale and yes/no question down by, in the latest wave."""
    minimum_group: int = Field(10, ge=1)
    """Groups with fewer answers than this are not shown in breakdowns (and a second group is hidden when one alone would be)."""

    @model_validator(mode="after")
    def _questions(self) -> Survey:
        ids = [q.id for q in self.questions]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"question id(s) given twice: {', '.join(repeated)}")
        kinds = {q.id: q.kind for q in self.questions}
        for by in self.breakdowns:
            if kinds.get(by) != "single":
                found = f"a {kinds[by]} question" if by in kinds else "no such question"
                raise ValueError(f"breakdowns: {by!r} must be a single-choice question of this survey, found {found}")
        for question in self.questions:
            if question.consent is not None:
                if question.kind != "open":
                    raise ValueError(f"question {question.id}: only an open question takes a consent question")
                if kinds.get(question.consent) != "yes_no":
                    found = f"a {kinds[question.consent]} question" if question.consent in kinds else "no such question"
                    raise ValueError(f"question {question.id}: consent must name a yes/no question of this survey, found {found}")
        for question in self.questions:
            if question.kind == "likert" and question.direction is None:
                raise ValueError(f"question {question.id}: a likert question needs a direction (positive_high or positive_low)")
            if question.kind in ("likert", "single") and not question.options and self.structure is None:
                raise ValueError(f"question {question.id}: a {question.kind} question needs options "
                                 "(or a `structure` file on the survey to read them from)")
            if question.kind == "open" and (question.options or question.non_substantive):
                raise ValueError(f"question {question.id}: an open question has no options")
            if question.separator is not None and question.kind != "multiple":
                raise ValueError(f"question {question.id}: only a check-all (multiple) question has a separator")
            if any(o.column for o in question.options + question.non_substantive) and (
                    question.kind != "multiple" or question.separator is not None):
                raise ValueError(f"question {question.id}: only the options of a check-all question exported "
                                 "one column per option have a column")
        return self


class Achievement(str, Enum):
    ACHIEVED = "achieved"
    PARTLY = "partly"
    NOT_ACHIEVED = "not_achieved"


class Impact(_Model):
    """One row of a case study's impact table."""

    outcome: ShortText
    """The outcome sought, in the person's terms."""
    area: ShortText
    """The area of impact expected (e.g. wellbeing, safety, independence)."""
    target: ShortText
    """The target and its timescale."""
    measured_by: ShortText
    """How it was measured."""
    actual: ShortText
    """The actual impact and when it was seen."""
    achieved: Achievement
    """`achieved`, `partly` or `not_achieved`."""
    comments: ShortText | None = None
    """Anything else the reader should know."""


class Feedback(_Model):
    """What one stakeholder said."""

    who: ShortText
    """Their role (never their name), e.g. `Daughter`, `Occupational therapist`."""
    said: Text
    """Their feedback."""


class OutcomeCaseStudy(Document):
    """An outcome-focused case study on the common template (seed 004). The body may add anything else."""

    type: Literal["outcome_case_study"]
    id: Slug
    """Short id in lower case."""
    title: ShortText
    """A title that does not identify the person."""
    title_cy: ShortText | None = None
    """The title in Welsh."""
    la: Slug
    """Id of the LA."""
    service: ShortText
    """The service that worked with the person, e.g. `Reablement`."""
    service_cy: ShortText | None = None
    """The service's name in Welsh, e.g. `Ailalluogi`."""
    subject: ShortText
    """How the person is referred to: a pseudonym or initial, never a real name."""
    engaged_from: dt.date
    """When the service started working with them."""
    engaged_to: dt.date | None = None
    """When it stopped (empty if still working together)."""
    overall: Literal["better_than_hoped", "as_hoped", "worse_than_hoped"]
    """How it went against what was hoped: a mix of better, worse and middling cases teaches most."""
    background: Text
    """Background: who the person is and their situation."""
    reasons_for_contact: Text
    """Why they came into contact with the service."""
    support: Text
    """The support provided."""
    other_agencies: list[ShortText] = []
    """Other agencies involved."""
    feedback: list[Feedback] = []
    """Feedback from stakeholders, each with `who` and `said`."""
    impacts: list[Impact] = Field(min_length=1)
    """The impact table: outcome, area, target and timescale, how measured, actual impact, achieved, comments."""
    lessons: Text
    """Lessons learned."""


class MeasureGroup(str, Enum):
    HOW_MUCH = "how_much"
    HOW_WELL = "how_well"
    BETTER_OFF = "better_off"


class Point(_Model):
    period: ShortText
    """The period, e.g. `2015-16` or `2016 Q1`."""
    value: float
    """The value in that period."""


class PerformanceMeasure(_Model):
    """A Results-Based Accountability performance measure with its baseline and forecast."""

    id: Slug
    """Short id."""
    name: ShortText
    """What is measured, e.g. `Reviews completed on time`."""
    name_cy: ShortText | None = None
    """The measure's name in Welsh."""
    group: MeasureGroup
    """`how_much` (did we do), `how_well` (did we do it) or `better_off` (is anyone)."""
    unit: ShortText
    """Unit, e.g. `%` or `people`."""
    unit_cy: ShortText | None = None
    """The unit in Welsh, e.g. `pobl` (a symbol such as `%` or `£` needs none)."""
    higher_is_better: bool = True
    """Whether a rise is good news."""
    history: list[Point] = Field(min_length=2)
    """The baseline: the measure's values so far, oldest first."""
    forecast: list[Point] = []
    """Where it is heading if nothing changes (the curve to turn)."""
    target: float | None = None
    """The value the partnership aims for."""


class Action(_Model):
    action: ShortText
    """What will be done."""
    who: ShortText
    """Who leads it."""
    when: ShortText
    """By when."""


class ReportCard(Document):
    """A Results-Based Accountability report card: the seven questions, with measures and their curves."""

    type: Literal["report_card"]
    id: Slug
    """Short id in lower case."""
    title: ShortText
    """The service or result the card reports on."""
    title_cy: ShortText | None = None
    """The title in Welsh."""
    la: Slug
    """Id of the LA."""
    customers: Text
    """1. Who are our customers?"""
    measures: list[PerformanceMeasure] = Field(min_length=1)
    """2-4. How we measure whether customers are better off and services delivered well, and how we are doing."""
    story: Text
    """The story behind the baseline."""
    partners: list[ShortText] = []
    """5. Who are the partners with a role to play?"""
    what_works: Text
    """6. What works to do better?"""
    action_plan: list[Action] = []
    """7. What we propose to do: each `action` with `who` and `when`."""
