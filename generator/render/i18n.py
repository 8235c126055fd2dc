"""Welsh for the headings and labels the generator writes (the content brings its own Welsh).

Welsh public bodies publish in Welsh and English. Authors write the Welsh
of their own content (`title_cy`, `text_cy`, `label_cy`); this catalogue
covers the words the generated pages add. A missing entry falls back to
English, so a new heading never breaks a build.
"""

from __future__ import annotations

WELSH = {
    # site furniture
    "Overview": "Trosolwg",
    "Framework matrix": "Matrics fframwaith",
    "Coding frame": "Ffrâm godio",
    "Code documents": "Dogfennau cod",
    "Sources": "Ffynonellau",
    "Datasets": "Setiau data",
    "Surveys": "Arolygon",
    "Outcome case studies": "Astudiaethau achos canlyniadau",
    "All case studies": "Pob astudiaeth achos",
    "Report cards": "Cardiau adroddiad",
    "Case report": "Adroddiad achos",
    "Meta-inferences": "Meta-gasgliadau",
    "Fictional demonstration content.": "Cynnwys arddangos ffuglennol.",
    "The places, people, quotations and figures on this site were invented to show how the tool works.":
        "Cafodd y lleoedd, y bobl, y dyfyniadau a'r ffigurau ar y wefan hon eu dyfeisio i ddangos sut mae'r offeryn yn gweithio.",
    "Local authority": "Awdurdod lleol",
    "Nation": "Gwlad",
    "Deprivation": "Amddifadedd",
    # surveys
    "Collected": "Dull casglu",
    "Waves and response rates": "Tonnau a chyfraddau ymateb",
    "Wave": "Ton",
    "Responses": "Ymatebion",
    "Invited": "Gwahoddwyd",
    "Response rate": "Cyfradd ymateb",
    "Answered": "Wedi ateb",
    "Positive": "Cadarnhaol",
    "positive": "cadarnhaol",
    "95% Wilson interval": "cyfwng Wilson 95%",
    "not on the scale": "nid ar y raddfa",
    "Improved": "Wedi gwella",
    "Deteriorated": "Wedi gwaethygu",
    "No clear change": "Dim newid clir",
    "the share answering positively went from": "aeth y gyfran a atebodd yn gadarnhaol o",
    "to": "i",
    "points": "pwynt",
    "95% interval": "cyfwng 95%",
    "The difference is within what chance alone could produce.": "Mae'r gwahaniaeth o fewn yr hyn y gallai siawns yn unig ei gynhyrchu.",
    "Source: {title}, {waves}.": "Ffynhonnell: {title}, {waves}.",
    "Answering positively, by wave": "Yn ateb yn gadarnhaol, fesul ton",
    "Answering positively, by answer to": "Yn ateb yn gadarnhaol, yn ôl yr ateb i",
    "Each cell is the share answering positively, with its 95% Wilson interval and the number who answered. Groups with fewer than {n} answers are not shown (“c”); where only one group would be hidden, the next smallest is hidden too, so it cannot be worked out from the totals above.":
        "Mae pob cell yn dangos y gyfran a atebodd yn gadarnhaol, gyda'i chyfwng Wilson 95% a nifer y rhai a atebodd. Ni ddangosir grwpiau â llai na {n} o atebion (“c”); lle byddai un grŵp yn unig wedi'i guddio, cuddir y grŵp lleiaf nesaf hefyd, fel na ellir ei gyfrifo o'r cyfansymiau uchod.",
    "Question": "Cwestiwn",
    "All who answered": "Pawb a atebodd",
    "Not stated": "Heb ddweud",
    "Too few answers to show": "Rhy ychydig o atebion i'w dangos",
    "Hidden so that a smaller group cannot be worked out": "Wedi'i guddio fel na ellir cyfrifo grŵp llai",
    "Only the answers of people who agreed to be quoted are shown, as they wrote them.":
        "Dim ond atebion y bobl a gytunodd i gael eu dyfynnu a ddangosir, fel y'u hysgrifennwyd.",
    "The survey did not ask for consent to quote, so the answers are not shown.":
        "Ni ofynnodd yr arolwg am ganiatâd i ddyfynnu, felly ni ddangosir yr atebion.",
    "{answered} people answered; {quoted} agreed to be quoted.": "Atebodd {answered} o bobl; cytunodd {quoted} i gael eu dyfynnu.",
    "Quoted answers": "Atebion a ddyfynnwyd",
    "Data table for": "Tabl data ar gyfer",
    "Source: {title} report card.": "Ffynhonnell: cerdyn adroddiad {title}.",
    "Download the plotted numbers (CSV)": "Lawrlwytho'r rhifau a blotiwyd (CSV)",
    "Download this table": "Lawrlwytho'r tabl hwn",
    "Download this report as a Word document": "Lawrlwytho'r adroddiad hwn fel dogfen Word",
    "online": "ar-lein",
    "postal": "drwy'r post",
    "telephone": "dros y ffôn",
    "face to face": "wyneb yn wyneb",
    # outcome-focused case studies
    "Service": "Gwasanaeth",
    "Worked with": "Cyfnod y cymorth",
    "ongoing": "yn parhau",
    "Overall": "At ei gilydd",
    "Background": "Cefndir",
    "Reasons for contact": "Rhesymau dros gysylltu",
    "Support provided": "Y cymorth a ddarparwyd",
    "Other agencies": "Asiantaethau eraill",
    "Feedback from stakeholders": "Adborth gan randdeiliaid",
    "Impact": "Effaith",
    "Lessons learned": "Gwersi a ddysgwyd",
    "Outcome": "Canlyniad",
    "Area of impact expected": "Maes effaith disgwyliedig",
    "Target and timescale": "Targed ac amserlen",
    "How measured": "Sut y'i mesurwyd",
    "Actual impact and timescale": "Effaith wirioneddol ac amserlen",
    "Comments": "Sylwadau",
    "achieved": "wedi'i gyflawni",
    "partly": "yn rhannol",
    "not achieved": "heb ei gyflawni",
    "better than hoped": "yn well na'r disgwyl",
    "as hoped": "fel y gobeithiwyd",
    "worse than hoped": "yn waeth na'r disgwyl",
    "Case study": "Astudiaeth achos",
    "Outcomes achieved": "Canlyniadau a gyflawnwyd",
    "Outcomes across case studies": "Canlyniadau ar draws yr astudiaethau achos",
    # report cards (the seven questions of Results-Based Accountability)
    "Who are our customers?": "Pwy yw ein cwsmeriaid?",
    "How much did we do?": "Faint wnaethon ni?",
    "How well did we do it?": "Pa mor dda wnaethon ni hynny?",
    "Is anyone better off?": "A oes unrhyw un yn well ei fyd?",
    "The story behind the baseline": "Y stori y tu ôl i'r llinell sylfaen",
    "Who are the partners with a role to play?": "Pwy yw'r partneriaid sydd â rhan i'w chwarae?",
    "What works to do better?": "Beth sy'n gweithio i wneud yn well?",
    "What do we propose to do?": "Beth rydyn ni'n bwriadu ei wneud?",
    "Action": "Cam gweithredu",
    "Who": "Pwy",
    "When": "Pryd",
    "Period": "Cyfnod",
    "Baseline": "Llinell sylfaen",
    "Forecast": "Rhagolwg",
    "Target": "Targed",
    "Latest": "Diweddaraf",
}


def localised(obj: object, name: str, language: str = "en") -> str:
    """An author's field in the site's language: ``name_cy`` on a Welsh site when given, else ``name``."""
    if language == "cy":
        welsh = getattr(obj, f"{name}_cy", None)
        if welsh:
            return str(welsh)
    return str(getattr(obj, name))


def translate(text: str, language: str = "en") -> str:
    """Return ``text`` in ``language`` ('en' or 'cy'), falling back to English."""
    if language == "cy":
        return WELSH.get(text, text)
    return text
