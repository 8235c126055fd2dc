"""Write the two waves of Cwm Derwen's demo survey, reproducibly.

    python -m generator.demo_survey content/local-authorities/cwm-derwen/surveys

Everything here is fictional: Cwm Derwen is an invented Welsh authority, and
the respondents, their answers and their comments were generated from a fixed
random seed for the demonstration. They describe no real people or services.

The files are written as an online survey tool exports them, so the demo
exercises the survey reader on realistic input: a UTF-8 byte-order mark, CRLF
line endings, a ``ResponseId`` column and some metadata columns, then one
column per question headed by its code (Q1 ... Q9; Q9 asks whoever wrote a
comment in Q8 whether it may be quoted). Wave 1 (2016) exports
answers as text (in Welsh for people who answered the Welsh form); wave 2
(2017) exports option codes. Some answers are blank, some are "Don't know".

The waves are built so the comparison has something to show: the share
answering positively rises clearly on Q1 (doing what matters) and Q3 (knowing
who to contact), falls clearly on Q4 (care arriving on time), and barely moves
on the others; in wave 2 the fall on Q4 is concentrated in home care. Each
question's answers are allocated by quota from the shares below (largest
remainder) and then shuffled, so the shares are exactly as designed and the
same seed always writes the same files.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

import numpy as np

SEED = 20171124

AGREE = {
    "1": ("Strongly disagree", "Anghytuno’n gryf"),
    "2": ("Disagree", "Anghytuno"),
    "3": ("Neither agree nor disagree", "Ddim yn cytuno nac yn anghytuno"),
    "4": ("Agree", "Cytuno"),
    "5": ("Strongly agree", "Cytuno’n gryf"),
}
SAFE = {
    "1": ("Not at all safe", "Ddim yn ddiogel o gwbl"),
    "2": ("Not very safe", "Ddim yn ddiogel iawn"),
    "3": ("Fairly safe", "Eithaf diogel"),
    "4": ("Very safe", "Diogel iawn"),
}
APART = {
    "8": ("Don’t know", "Ddim yn gwybod"),
    "9": ("Prefer not to say", "Mae’n well gen i beidio â dweud"),
}
YES_NO = {"1": ("Yes", "Oeddwn"), "2": ("No", "Nac oeddwn")}
SERVICE = {
    "1": ("Home care", "Gofal cartref"),
    "2": ("Day service", "Gwasanaeth dydd"),
    "3": ("Reablement", "Ailalluogi"),
    "4": ("Residential care", "Gofal preswyl"),
    "5": ("Shared Lives", "Cysylltu Bywydau"),
}
CONSENT = {"1": ("Yes", "Cewch"), "2": ("No", "Na chewch")}

# Per question: its labels, and per wave the shares of the substantive options
# (in code order), then the shares of respondents answering "Don't know",
# "Prefer not to say" and leaving it blank.
QUESTIONS: dict[str, tuple[dict[str, tuple[str, str]], dict[str, tuple[list[float], float, float, float]]]] = {
    # I can do the things that matter to me: improves (58% -> 72% positive).
    "Q1": (AGREE, {"wave-2016": ([0.06, 0.14, 0.22, 0.40, 0.18], 0.05, 0.01, 0.03),
                   "wave-2017": ([0.04, 0.09, 0.15, 0.46, 0.26], 0.04, 0.01, 0.03)}),
    # I am treated with dignity and respect: no change (81% -> 80%).
    "Q2": (AGREE, {"wave-2016": ([0.02, 0.05, 0.12, 0.45, 0.36], 0.03, 0.01, 0.02),
                   "wave-2017": ([0.02, 0.06, 0.12, 0.44, 0.36], 0.03, 0.01, 0.03)}),
    # I know who to contact about my care and support: improves (61% -> 76%).
    "Q3": (AGREE, {"wave-2016": ([0.07, 0.14, 0.18, 0.39, 0.22], 0.06, 0.00, 0.03),
                   "wave-2017": ([0.03, 0.08, 0.13, 0.44, 0.32], 0.04, 0.00, 0.02)}),
    # My care and support arrives at the times agreed: deteriorates (70% -> 55%).
    "Q4": (AGREE, {"wave-2016": ([0.04, 0.10, 0.16, 0.42, 0.28], 0.05, 0.01, 0.04),
                   "wave-2017": ([0.09, 0.18, 0.18, 0.35, 0.20], 0.05, 0.01, 0.04)}),
    # How safe do you feel in your home? (4 points): no change (84% -> 85%).
    "Q5": (SAFE, {"wave-2016": ([0.03, 0.13, 0.45, 0.39], 0.02, 0.02, 0.03),
                  "wave-2017": ([0.03, 0.12, 0.46, 0.39], 0.02, 0.02, 0.03)}),
    # Able to speak in the preferred language: no change (88% -> 87%).
    "Q6": (YES_NO, {"wave-2016": ([0.88, 0.12], 0.0, 0.0, 0.04),
                    "wave-2017": ([0.87, 0.13], 0.0, 0.0, 0.04)}),
    # Which service: a similar mix in both waves; Shared Lives is small enough to be hidden in breakdowns.
    "Q7": (SERVICE, {"wave-2016": ([0.45, 0.16, 0.21, 0.15, 0.03], 0.0, 0.0, 0.02),
                     "wave-2017": ([0.44, 0.15, 0.23, 0.15, 0.03], 0.0, 0.0, 0.02)}),
}
# Q4 in wave 2: the home care providers' staff losses show up in home care's answers
# (the answers are reordered among respondents, so the wave's shares stay as designed).
HOME_CARE_PULL = 0.2
CONSENT_SHARE = 0.6  # of those who wrote a comment, the share who agreed to be quoted

# wave id: (respondents, answers exported as codes?, first and last day of fieldwork)
WAVES = {
    "wave-2016": (236, False, dt.date(2016, 10, 24), dt.date(2016, 11, 25)),
    "wave-2017": (263, True, dt.date(2017, 10, 23), dt.date(2017, 11, 24)),
}
WELSH_SHARE = 0.09  # respondents who chose the Welsh form
COMMENT_SHARE = 0.13  # respondents who wrote something in Q8

# Comments are drawn without replacement, so each is written once (the pools are
# larger than the number of commenters); each wave has its own themes.
COMMENTS_EN = [
    "The carers are kind and never rush me.",
    "I would like the same carer more often; it is hard explaining everything to someone new.",
    "Very happy with the day centre. I look forward to Tuesdays.",
    "Nothing to add.",
    "My daughter filled this in with me.",
    "I would like to get out more but the bus no longer comes up our road.",
    "The food at the home is good and the staff know what I like.",
    "Please send letters in bigger print.",
    "I worry about what happens if my wife is taken ill; she does most things for me.",
    "Staff always ask before they do anything, which I appreciate.",
    "The form was too long.",
    "I did not know I could ask for a review.",
    "The Shared Lives carer treats me like one of the family.",
    "Good service overall, no complaints.",
    "Sometimes I feel lonely in the afternoons.",
    "The equipment they brought has made getting up the stairs much easier.",
    "I would rather have a phone call than a letter.",
    "It would help to know the names of the carers who are coming.",
    "They always leave the kitchen tidy.",
    "My son has to take time off work to sort things out with the council.",
]
COMMENTS_2016 = [
    "I never know who to ring when something changes. I was passed round three different numbers.",
    "My social worker left and nobody told me who has taken over.",
    "It took a long time to get the rails fitted in the bathroom.",
    "When I phoned the office,\nnobody called me back for over a week.",
    "Nobody asked me what I wanted, they told me what I would get.",
    "I had four different people assess me and I had to repeat my story each time.",
    "The reablement team got me back on my feet after my fall. Thank you.",
    "I was left waiting in hospital because there was no care package ready.",
    "I am not sure who is in charge of my care.",
    "The out of hours number just rings out.",
    "The carers come on time and I can set my clock by them.",
    "I had to chase the occupational therapist several times.",
    "My care plan has not been looked at for over a year.",
    "The letter about charges was hard to understand.",
]
COMMENTS_2017 = [
    "Having one named person to ring has made a big difference.",
    "The evening call is often an hour late and I have to wait to go to bed.",
    "Different carers every week since the agency changed.",
    "The new worker sat down and asked me what I wanted to be able to do again. Nobody had asked before.",
    "Morning calls are getting later, sometimes after 10,\nwhich is too late for my tablets.",
    "Carers are lovely but they are clearly short staffed and rushed.",
    "My contact worker rings back the same day.",
    "We set goals together and I can now make my own lunch again.",
    "Calls have been cut short because the carer has too many visits.",
    "I was told my agency was closing and had two weeks of worry before a new one was found.",
    "Knowing who to talk to has taken a weight off my mind.",
    "The reablement worker helped me get back to the lunch club.",
    "Sometimes nobody turns up and nobody lets me know.",
    "I feel listened to now.",
]
COMMENTS_CY = [
    "Mae’r gofalwyr yn garedig iawn.",
    "Hoffwn i gael yr un gofalwr bob dydd.",
    "Diolch am bopeth.",
    "Roedd yn braf cael siarad Cymraeg gyda’r gweithiwr.",
    "Does neb yn siarad Cymraeg pan dw i’n ffonio’r swyddfa.",
    "Mae’r ganolfan ddydd yn gwneud byd o wahaniaeth i mi.",
    "Hoffwn i wybod pwy sy’n dod bob bore.",
    "Dim byd i’w ychwanegu.",
]

ID_CHARS = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"))


def _quota(n: int, shares: list[float]) -> list[int]:
    """Split n by shares, rounding by largest remainder so the parts add up to n."""
    total = sum(shares)
    exact = [n * s / total for s in shares]
    parts = [int(x) for x in exact]
    order = sorted(range(len(shares)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in order[: n - sum(parts)]:
        parts[i] += 1
    return parts


def _answers(rng: np.random.Generator, n: int, wave: str, question: str) -> list[str | None]:
    """One question's answer codes for n respondents (None = blank), shuffled."""
    options, plan = QUESTIONS[question]
    scale, dont_know, no_say, blank = plan[wave]
    n_dk, n_ns, n_blank = (round(n * s) for s in (dont_know, no_say, blank))
    substantive = _quota(n - n_dk - n_ns - n_blank, scale)
    codes: list[str | None] = []
    for code, count in zip(options, substantive):
        codes += [code] * count
    codes += ["8"] * n_dk + ["9"] * n_ns + [None] * n_blank
    return [codes[i] for i in rng.permutation(n)]


def _lean(rng: np.random.Generator, codes: list[str | None], pulled: list[bool]) -> list[str | None]:
    """Give the lower scale answers mostly to the pulled respondents, keeping the same answers overall."""
    on_scale = [i for i, c in enumerate(codes) if c is not None and c in AGREE]
    keys = rng.random(len(on_scale)) + np.array([HOME_CARE_PULL if pulled[i] else 0.0 for i in on_scale])
    worst_first = sorted((codes[i] for i in on_scale), key=lambda c: int(c or 0))
    leaned = list(codes)
    for rank, position in enumerate(np.argsort(-keys, kind="stable")):
        leaned[on_scale[int(position)]] = worst_first[rank]
    return leaned


def _label(question: str, code: str, welsh: bool) -> str:
    options = QUESTIONS[question][0]
    english, cymraeg = options[code] if code in options else APART[code]
    return cymraeg if welsh else english


def _wave_rows(wave: str) -> tuple[list[str], list[list[str]]]:
    n, as_codes, first, last = WAVES[wave]
    rng = np.random.default_rng([SEED, list(WAVES).index(wave)])
    ids = ["R_" + "".join(rng.choice(ID_CHARS, 15)) for _ in range(n)]
    assert len(set(ids)) == n
    days = rng.integers(0, (last - first).days + 1, n)
    seconds = rng.integers(8 * 3600, 21 * 3600, n)  # replies come in between 8am and 9pm
    starts = sorted(dt.datetime.combine(first + dt.timedelta(days=int(d)), dt.time(0)) + dt.timedelta(seconds=int(s))
                    for d, s in zip(days, seconds))
    minutes = rng.gamma(4.0, 2.0, n) + 2
    welsh = rng.random(n) < WELSH_SHARE
    answers = {q: _answers(rng, n, wave, q) for q in QUESTIONS}
    if wave == "wave-2017":
        answers["Q4"] = _lean(rng, answers["Q4"], [code == "1" for code in answers["Q7"]])
    recent = COMMENTS_2016 if wave == "wave-2016" else COMMENTS_2017
    commented = rng.random(n) < COMMENT_SHARE
    pools = {False: list(rng.permutation(COMMENTS_EN + recent)), True: list(rng.permutation(COMMENTS_CY))}

    consents = rng.random(n) < CONSENT_SHARE

    header = ["ResponseId", "StartDate", "EndDate", "UserLanguage", *QUESTIONS, "Q8", "Q9"]
    rows = []
    for i in range(n):
        end = starts[i] + dt.timedelta(minutes=float(minutes[i]))
        row = [ids[i], starts[i].strftime("%Y-%m-%d %H:%M:%S"), end.strftime("%Y-%m-%d %H:%M:%S"),
               "CY" if welsh[i] else "EN"]
        for question in QUESTIONS:
            code = answers[question][i]
            if code is None:
                row.append("")
            else:
                row.append(code if as_codes else _label(question, code, bool(welsh[i])))
        if commented[i]:
            pool = pools[bool(welsh[i])] or pools[False]  # a Welsh reply past the Welsh pool writes in English
            if not pool:  # more commenters than comments: start again
                pool.extend(rng.permutation(COMMENTS_EN + recent))
            row.append(str(pool.pop()))
            code = "1" if consents[i] else "2"
            english, cymraeg = CONSENT[code]
            row.append(code if as_codes else (cymraeg if welsh[i] else english))
        else:
            row += ["", ""]  # the consent question is only shown to people who wrote something
        rows.append(row)
    return header, rows


def write(folder: Path) -> list[Path]:
    """Write wave-2016.csv and wave-2017.csv into folder; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for wave in WAVES:
        header, rows = _wave_rows(wave)
        path = folder / f"{wave}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(header)
            writer.writerows(rows)
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("content/local-authorities/cwm-derwen/surveys")
    for path in write(target):
        print(path)
