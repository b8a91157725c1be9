"""Every word list the detector reads, in one module.

The readers (``quantities``, ``measures``, ``polarity``, ``timecues``, ``normalise``,
``worthiness``) hold rules; this module holds the words those rules look for, so that a reviewer can
see in one place what the detector knows about English and why. Each list says what it is for; the
opposite-outcome groups and the unit conversions say why each entry is a general class rather than
a fix for one sentence. Stems are Snowball English stems (``normalise.stem``), so inflections and
most derivations ("approve", "approved", "approval") are covered by one entry.

Nothing here depends on another detection module: this is the bottom of the import graph.
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------- from quantities
UNITS_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}

SCALE_WORDS = {"hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}

SCALE_ABBR = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12}

CURRENCY_SYMBOL = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB"}

CURRENCY_WORD = {
    "dollar": "USD",
    "dollars": "USD",
    "usd": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "eur": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "sterling": "GBP",
    "gbp": "GBP",
    "yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "rouble": "RUB",
    "roubles": "RUB",
    "ruble": "RUB",
    "rubles": "RUB",
    "rupee": "INR",
    "rupees": "INR",
    "won": "KRW",
    "francs": "CHF",
    "franc": "CHF",
    "hryvnia": "UAH",
}

PHYSICAL_UNITS = {
    "mm": "mm",
    "millimetre": "mm",
    "millimetres": "mm",
    "millimeter": "mm",
    "millimeters": "mm",
    "cm": "cm",
    "centimetre": "cm",
    "centimetres": "cm",
    "centimeter": "cm",
    "centimeters": "cm",
    "inch": "inch",
    "inches": "inch",
    "foot": "foot",
    "feet": "foot",
    "ft": "foot",
    "km2": "square_km",
    "lb": "lb",
    "lbs": "lb",
    "kilogram": "kg",
    "kilogrammes": "kg",
    "gram": "gram",
    "grams": "gram",
    "gallon": "gallon",
    "gallons": "gallon",
    "millilitre": "ml",
    "millilitres": "ml",
    "ml": "ml",
    "liter": "litre",
    "km": "km",
    "kilometre": "km",
    "kilometres": "km",
    "kilometer": "km",
    "kilometers": "km",
    "mile": "mile",
    "miles": "mile",
    "metre": "metre",
    "metres": "metre",
    "meter": "metre",
    "meters": "metre",
    "m3": "cubic_metre",
    "m2": "square_metre",
    # "m" after a figure is a metre unless money or a counted noun says million (see
    # ``MILLION_M_NOUNS``); "mi" is the mile's abbreviation, "kilo(s)" the kilogram's.
    "m": "metre",
    "mi": "mile",
    "kms": "km",
    "kilo": "kg",
    "kilos": "kg",
    "kgs": "kg",
    "kilogramme": "kg",
    "hectare": "hectare",
    "hectares": "hectare",
    "acre": "acre",
    "acres": "acre",
    "degree": "degree",
    "degrees": "degree",
    "c": "degree",
    "celsius": "degree",
    "f": "fahrenheit",
    "fahrenheit": "fahrenheit",
    "tonne": "tonne",
    "tonnes": "tonne",
    "ton": "tonne",
    "tons": "tonne",
    "kg": "kg",
    "kilograms": "kg",
    "litre": "litre",
    "litres": "litre",
    "liters": "litre",
    "barrel": "barrel",
    "barrels": "barrel",
    "mph": "mph",
    "kmh": "kmh",
    "kph": "kmh",
    "kmph": "kmh",
    "magnitude": "magnitude",
    "year": "year",
    "years": "year",
    "year-old": "age",
    "month": "month",
    "months": "month",
    "week": "week",
    "weeks": "week",
    "day": "day",
    "days": "day",
    "hour": "hour",
    "hours": "hour",
    "minute": "minute",
    "minutes": "minute",
    "points": "point",
    "point": "point",
    "seats": "seat",
}

PERCENT_WORDS = {"percent", "pct", "percentage"}
# "1.5 percentage points", "0.8 points": a change in a rate, not a rate.
POINT_WORDS = frozenset({"point", "points"})

# Scale abbreviations that mean only a scale ("3 bn", "2.5 mn"), so they may stand a space apart
# from the figure; "m", "b" and "k" do so only after a currency ("$3 m"): alone, "6.2 m" is metres.
SCALE_ABBR_SPACED = frozenset({"mn", "mln", "bn", "tn"})

# ISO codes written before a figure, as agency copy does ("EUR 3m", "USD 1.2 bn"); upper case only.
CURRENCY_CODES = {"USD": "USD", "EUR": "EUR", "GBP": "GBP", "JPY": "JPY", "CNY": "CNY", "CHF": "CHF"}

# Counted nouns after "m": "3m people", "1.2 m barrels" are millions, not metres. Only nouns that
# are never a length's noun ("a 40m wall", "6m waves" stay metres); plural forms, as a million of
# them is written.
MILLION_M_NOUNS = frozenset(
    {
        "people",
        "persons",
        "residents",
        "inhabitants",
        "citizens",
        "households",
        "homes",
        "users",
        "customers",
        "subscribers",
        "viewers",
        "listeners",
        "readers",
        "visitors",
        "tourists",
        "passengers",
        "voters",
        "votes",
        "jobs",
        "workers",
        "employees",
        "members",
        "children",
        "patients",
        "cases",
        "doses",
        "vaccines",
        "barrels",
        "tonnes",
        "tons",
        "copies",
        "downloads",
        "shares",
        "refugees",
        "migrants",
        "animals",
        "birds",
        "trees",
    }
)

# "twice" is a multiplier only before what it multiplies ("twice as many", "twice last year's
# number", "twice the level"); elsewhere it counts occasions ("scored twice").
TWICE_BEFORE = frozenset({"as", "the", "that", "last", "its", "their", "his", "her", "what", "this"})
# ... but "twice as" is a conjunction before a clause ("scored twice as the team won"): not a
# multiplier when a determiner or pronoun (or a name) follows "as".
TWICE_AS_CLAUSE = frozenset(
    {"the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their", "our", "my"}
    | {"your", "he", "she", "it", "they", "we", "i", "you", "there"}
)

# Days and times of day named without a date ("approved the bill this morning").
DAY_WORDS = frozenset(
    {"today", "yesterday", "tomorrow", "tonight", "morning", "afternoon", "evening", "night"}
)
# Seasons date a claim as months do ("all summer" / "from June to August"); "fall" is left out
# (a verb).
SEASONS: tuple[str, ...] = ("spring", "summer", "autumn", "winter")
WEEKDAYS: tuple[str, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# The month names in calendar order (frames read a month's number from its place here).
MONTHS: tuple[str, ...] = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)

MONTH_WORDS = {
    *MONTHS,
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
}

ORDINAL_SUFFIX = {"st", "nd", "rd", "th"}

# Hedge phrases read backwards from the figure; longest first so "more than" beats "than".
HEDGES_BEFORE: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    sorted(
        (
            (tuple(p.split()), h)
            for h, phrases in {
                "about": [
                    "about",
                    "around",
                    "approximately",
                    "roughly",
                    "some",
                    "an estimated",
                    "estimated",
                    "circa",
                    "approx",
                    "in the region of",
                    "on the order of",
                    "put at",
                    "an approximate",
                ],
                "nearly": ["nearly", "almost", "close to", "just under", "just shy of", "not quite"],
                "over": [
                    "over",
                    "more than",
                    "above",
                    "exceeding",
                    "in excess of",
                    "upwards of",
                    "well over",
                    "greater than",
                    "passed",
                    "topped",
                    "surpassed",
                    "exceeded",
                    "beyond",
                ],
                "just_over": ["just over", "just above", "slightly more than", "a little over"],
                "at_least": ["at least", "no fewer than", "no less than", "a minimum of", "not less than"],
                "up_to": ["up to", "as many as", "at most", "no more than", "a maximum of", "as much as"],
                "under": ["fewer than", "less than", "under", "below", "not even"],
                "exact": ["exactly", "precisely", "only", "just"],
            }.items()
            for p in phrases
        ),
        key=lambda item: -len(item[0]),
    )
)

HEDGES_AFTER: tuple[tuple[tuple[str, ...], str], ...] = (
    (("or", "more"), "at_least"),
    (("-", "plus"), "at_least"),
    (("plus",), "at_least"),
    (("or", "so"), "about"),
    (("or", "fewer"), "up_to"),
    (("or", "less"), "up_to"),
)

VAGUE_MAGNITUDES: tuple[tuple[tuple[str, ...], float, float], ...] = (
    (("tens", "of", "thousands"), 20_000, 99_999),
    (("hundreds", "of", "thousands"), 200_000, 999_999),
    (("tens", "of", "millions"), 20e6, 99e6),
    (("hundreds", "of", "millions"), 200e6, 999e6),
    (("a", "few", "dozen"), 24, 60),
    (("a", "few", "hundred"), 200, 500),
    (("a", "few", "thousand"), 2000, 5000),
    (("several", "hundred"), 200, 900),
    (("several", "thousand"), 2000, 9000),
    (("dozens",), 24, 99),
    (("scores",), 40, 199),
    (("hundreds",), 200, 999),
    (("thousands",), 2000, 9999),
    (("millions",), 2e6, 999e6),
    (("billions",), 2e9, 999e9),
    (("several",), 3, 9),
    (("a", "handful"), 2, 6),
    (("a", "few"), 2, 5),
)


MULTIPLIERS = {
    "doubled": 2.0,
    "double": 2.0,
    "doubling": 2.0,
    "twofold": 2.0,
    "two-fold": 2.0,
    "tripled": 3.0,
    "triple": 3.0,
    "threefold": 3.0,
    "three-fold": 3.0,
    "quadrupled": 4.0,
    "fourfold": 4.0,
    "halved": 0.5,
}

ZERO_WORDS = {"nobody", "none", "noone", "nothing"}

NOT_COUNT_AFTER_NO = {
    "longer",
    "more",
    "less",
    "one",
    "doubt",
    "matter",
    "sooner",
    "way",
    "change",
    "comment",
    "confidence",
    "immediate",
    "word",
    "plans",
    "evidence",
}

# ---------------------------------------------------------------- from measures
KILLED_STEMS = frozenset(
    {"kill", "die", "dead", "death", "fatal", "perish", "bodi", "toll", "slain", "execut"}
)

# "taken to hospital" is how injuries are reported when no one has counted them as such.
INJURED_STEMS = frozenset({"injur", "wound", "hurt", "injuri", "hospit"})

CASUALTY_STEMS = frozenset({"casualti", "loss", "lost"})

ARREST_STEMS = frozenset({"arrest", "detain", "detent", "custodi", "apprehend"})

DISPLACED_STEMS = frozenset({"evacu", "fled", "flee", "displac", "homeless", "refuge", "relocat"})

CAPTURED_STEMS = frozenset({"captur", "prison", "pow", "surrend"})

TROOP_STEMS = frozenset(
    {
        "troop",
        "soldier",
        "forc",
        "personnel",
        "fighter",
        "servicemen",
        "marin",
        "paratroop",
        "mercenari",
        "militari",
    }
)

PERSON_STEMS = frozenset(
    {
        "peopl",
        "person",
        "civilian",
        "resid",
        "passeng",
        "worker",
        "child",
        "children",
        "victim",
        "men",
        "women",
        "migrant",
        "protest",
        "demonstr",
        "student",
        "pilgrim",
        "tourist",
        "patient",
        "inmat",
        "villag",
        "crew",
        "miner",
        "journalist",
        "report",
        "nurs",
        "doctor",
        "firefight",
        "polic",
        "offic",
        "individu",
        "communiti",
        "famili",
        "survivor",
    }
)

VOTE_STEMS = frozenset({"vote", "ballot"})

MONEY_HEADS = {
    "damag": "damage",
    "cost": "cost",
    "profit": "profit",
    "loss": "loss",
    "revenu": "revenue",
    "sale": "revenue",
    "turnov": "revenue",
    "budget": "budget",
    "fee": "fee",
    "fine": "fine",
    "aid": "aid",
    "wage": "wage",
    "salari": "wage",
    "pay": "wage",
    "price": "price",
    "valuat": "valuation",
    "debt": "debt",
    "deficit": "deficit",
    "invest": "investment",
    "fund": "funding",
    "bail": "bail",
    "compens": "compensation",
    "tax": "tax",
    "spend": "spending",
    "bonus": "bonus",
    "ransom": "ransom",
    "earn": "profit",
}

# Counts of people by their generic noun ("800 more people"): a claim that states one more such
# count says more. Not goals or houses: the other claim may hold the same figure in a word the
# readers do not pair ("scored twice" / "two goals").
PEOPLE_COUNT_MEASURES = frozenset(
    {"count:peopl", "count:person", "count:resid", "count:protest", "count:worker"}
)

# Families of sums of money: two sums of one family may be one sum named twice ("cost" / "price tag",
# "budget" / "will spend"); sums of two families are two things ("a profit of 800 million" / "800
# million in fines"), whatever their value.
MONEY_FAMILIES = {
    "profit": "earned",
    "revenue": "earned",
    "loss": "owed",
    "debt": "owed",
    "deficit": "owed",
    "fine": "owed",
    "wage": "pay",
    "bonus": "pay",
    "valuation": "valuation",
}  # every other money measure (cost, budget, spending, aid, damage...) is an outlay

COUNT_MODIFIERS = frozenset(
    {
        "new",
        "more",
        "other",
        "addit",
        "extra",
        "local",
        "young",
        "old",
        "elder",
        "foreign",
        "innoc",
        "unarm",
        "armi",
        "suspect",
        "alleg",
        "confirm",
        "report",
        "further",
        "anoth",
        "total",
        "senior",
        "former",
        "mostli",
        "mainli",
        "estim",
        "separ",
        "differ",
        "regist",
        "elig",
        "activ",
        "fresh",
        "fulli",
        "small",
        "larg",
        "major",
        "minor",
        "rival",
        "some",
        "million",
        "billion",
        "yet",
        "alreadi",
        "still",
        "reportedli",
        "so",
        "far",
        "made",
    }
)

CALENDAR_WORDS = frozenset(
    [
        *WEEKDAYS,
        *MONTHS,
        "celsius",
        "fahrenheit",
    ]
)

PERCENT_SKIP = frozenset(
    {
        "voter",
        "peopl",
        "person",
        "resid",
        "respond",
        "citizen",
        "american",
        "adult",
        "household",
        "elig",
        "onli",
        "just",
        "some",
        "about",
        "around",
        "nearli",
        "almost",
        "roughli",
        "estim",
        "least",
        "record",
        "new",
        "total",
        "overal",
        "annual",
        "rate",
        "level",
        "figur",
        "share",
        "survey",
        "poll",
        "studi",
        "report",
        "data",
        "show",
        "found",
        "find",
        "mere",
        "year",
        "month",
        "week",
        "quarter",
    }
)

PERCENT_WORDS_SKIP = frozenset({"percent", "cent", "per", "pct", "of", "the"})

SAY_WORDS = frozenset(
    {
        "said",
        "says",
        "say",
        "told",
        "reported",
        "announced",
        "claimed",
        "estimated",
        "insisted",
        "stated",
        "confirmed",
        "added",
        "estimate",
        "estimates",
        "claims",
    }
)

# ---------------------------------------------------------------- from polarity
# concept -> (positive stems, negative stems)
OUTCOME_OPPOSITES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "approve": (
        frozenset(
            {
                "approv",
                "pass",
                "adopt",
                "ratifi",
                "endors",
                "accept",
                "agre",
                "uphold",
                "upheld",
                "allow",
                "grant",
                "sign",
                "greenlight",
                "enact",
            }
        ),
        frozenset(
            {
                "reject",
                "refus",
                "veto",
                "block",
                "dismiss",
                "overturn",
                "fail",
                "oppos",
                "spurn",
                "overrul",
                "quash",
            }
        ),
    ),
    "confirm": (
        frozenset({"confirm", "admit", "acknowledg", "verifi"}),
        frozenset({"deni", "disput", "refut"}),
    ),
    "win": (
        frozenset({"win", "won", "victori", "beat", "triumph", "retain"}),
        frozenset({"lose", "lost", "defeat", "conced"}),
    ),
    "rise": (
        frozenset(
            {
                "rise",
                "rose",
                "risen",
                "increas",
                "climb",
                "jump",
                "soar",
                "surg",
                "grew",
                "grow",
                "gain",
                "rais",
                "hike",
                "higher",
                "doubl",
                "tripl",
                "rebound",
                "accelar",
                "acceler",
                "lengthen",
                # "adds 18 km to the drive": only with a figure right after it (polarity)
                "add",
            }
        ),
        frozenset(
            {
                "fall",
                "fell",
                "fallen",
                "drop",
                "declin",
                "decreas",
                "slump",
                "plung",
                "slid",
                "slip",
                "eas",
                "slow",
                "cut",
                "lower",
                "reduc",
                "halv",
                "shrank",
                "shrink",
                "tumbl",
                "sank",
                "sink",
                "dip",
                "shorten",
            }
        ),
    ),
    "hire": (
        frozenset({"hire", "recruit", "creat", "add"}),
        frozenset({"cut", "elimin", "shed", "axe", "slash", "scrap", "lay"}),
    ),
    "open": (
        frozenset({"open", "reopen", "resum"}),
        frozenset({"close", "shut", "suspend"}),
    ),
    "guilty": (
        frozenset({"guilti", "convict", "sentenc", "jail", "imprison"}),
        frozenset({"acquit", "innoc", "exoner", "clear"}),
    ),
    "go_on": (
        frozenset({"continu", "hold", "proceed", "persist", "ahead", "extend", "go"}),
        frozenset(
            {"end", "collaps", "cancel", "halt", "stop", "abandon", "postpon", "broke", "ceas", "scrap"}
        ),
    ),
    "profit": (
        frozenset({"profit", "surplus"}),
        frozenset({"loss", "deficit"}),
    ),
    "charge": (
        frozenset({"charg", "indict"}),
        frozenset(),
    ),
    # A verdict: a sentence presupposes a conviction; "cleared of" is an acquittal (the guard
    # in polarity requires "of" after "cleared").
    # (entries added to "guilty" below)
    #
    # A state that rules out another for the same people: found alive / survived against dead,
    # bodies found, died. Claims that state both (some died, some survived) carry both signs and
    # are never compared on this concept.
    "alive": (
        frozenset({"aliv", "surviv", "unharm", "unhurt"}),
        frozenset({"dead", "die", "bodi", "corps", "perish"}),
    ),
    # A fire, outbreak or spill is either contained or not: "brought under control", "put out",
    # "extinguished" against "out of control", "still burning".
    "contained": (
        frozenset({"extinguish", "contain", "doused"}),
        frozenset({"uncontain", "uncontrol"}),
    ),
    # Leaving a post against staying in it ("resigned" vs "remains in office").
    "resign": (
        frozenset({"resign", "quit"}),
        frozenset(),
    ),
    # A rule that allows something against one that bans it ("the council banned e-scooters"
    # vs "the council allowed e-scooters"); "allow" is also an approval above.
    "permit": (
        frozenset({"allow", "permit", "legalis", "legaliz", "authoris", "authoriz"}),
        frozenset({"ban", "banned", "prohibit", "outlaw", "forbid", "forbad", "forbidden"}),
    ),
    # A ship, lorry or plane either carries a load or is empty ("was carrying 40,000 tonnes of
    # grain" / "was empty"); "carry" only with a figure right after it (polarity), never "carried
    # out" or "the motion carried".
    "laden": (
        frozenset({"carri", "laden"}),
        frozenset({"empti", "unladen"}),
    ),
    "effective": (
        frozenset({"effect", "safe", "success"}),
        frozenset({"ineffect", "unsaf", "unsuccess"}),
    ),
}

# Multi-word outcome cues, read before single words (longest first). Each maps to one or more
# (concept, sign) pairs: "kept running" is both "still open" and "went on".
OUTCOME_PHRASES: dict[tuple[str, ...], tuple[tuple[str, int], ...]] = {
    ("vote", "down"): (("approve", -1),),
    ("voted", "down"): (("approve", -1),),
    ("turned", "down"): (("approve", -1),),
    ("turn", "down"): (("approve", -1),),
    ("struck", "down"): (("approve", -1),),
    ("strike", "down"): (("approve", -1),),
    ("threw", "out"): (("approve", -1),),
    ("thrown", "out"): (("approve", -1),),
    ("voted", "through"): (("approve", 1),),
    ("called", "off"): (("go_on", -1),),
    ("call", "off"): (("go_on", -1),),
    ("went", "ahead"): (("go_on", 1),),
    ("go", "ahead"): (("go_on", 1),),
    ("laid", "off"): (("hire", -1),),
    ("lay", "off"): (("hire", -1),),
    ("not", "guilty"): (("guilty", -1),),
    ("kept", "running"): (("open", 1), ("go_on", 1)),
    ("stayed", "open"): (("open", 1),),
    ("stay", "open"): (("open", 1),),
    ("remain", "open"): (("open", 1),),
    ("remains", "open"): (("open", 1),),
    # a rate that "picked up" rose; one that "slowed" fell (already a single-word cue)
    ("picked", "up"): (("rise", 1),),
    ("picks", "up"): (("rise", 1),),
    # a fire or an outbreak: under control or not (see "contained" below)
    ("under", "control"): (("contained", 1),),
    ("put", "out"): (("contained", 1),),
    ("out", "of", "control"): (("contained", -1),),
    ("still", "burning"): (("contained", -1),),
    ("still", "raging"): (("contained", -1),),
    # staying in a post is the opposite of resigning
    ("stepped", "down"): (("resign", 1),),
    ("step", "down"): (("resign", 1),),
    ("stay", "on"): (("resign", -1),),
    ("stayed", "on"): (("resign", -1),),
    ("remain", "in", "office"): (("resign", -1),),
    ("remains", "in", "office"): (("resign", -1),),
    ("remained", "in", "office"): (("resign", -1),),
    ("remain", "in", "post"): (("resign", -1),),
    ("remains", "in", "post"): (("resign", -1),),
    ("remained", "in", "post"): (("resign", -1),),
    # the vote itself: "voted against" a motion is the opposite of "voted to"/"voted for" it
    ("voted", "against"): (("approve", -1),),
    ("vote", "against"): (("approve", -1),),
    ("votes", "against"): (("approve", -1),),
    # a figure's direction: "up 12 %", "down 3 %" (guarded in polarity: a number must follow)
    ("up",): (("rise", 1),),
    ("down",): (("rise", -1),),
}

# "pass" followed by one of these is a movement or a death, not a vote ("3.1 million travellers
# passed through the airport", "the storm passed over the island", "he passed away").
PASS_MOVEMENT = frozenset({"through", "by", "over", "away", "under", "along", "into", "across", "out"})

# What a vote or an approval is about ("voted 148 to 102 to extend the fuel subsidy", "approved the
# northern bypass by 14 votes to 9"): the words after the outcome word, past a tally and these
# openers, up to one of MOTION_ENDS; the generic heads name no motion of their own.
MOTION_OPENERS = ("in favour of", "in favor of", "against", "through", "down", "for", "to", "on")
MOTION_ENDS = frozenset(
    {"by", "on", "at", "in", "with", "after", "before", "when", "while", "during", "from", "despite", "amid"}
)
MOTION_HEADS = frozenset(
    {"bill", "motion", "plan", "proposal", "law", "measure", "legislation", "resolution", "amendment"}
)

# Outcome concepts that, with the same sign, can report one outcome in other words, so two claims
# using them are not about different things: a service "suspended" (open -) is one "cancelled"
# (go_on -); voters who "approved" a proposal (approve +) are a proposal that "won" the vote (win +).
OUTCOME_KIN: frozenset[frozenset[str]] = frozenset(
    {frozenset({"open", "go_on"}), frozenset({"approve", "win"})}
)

JOB_STEMS = frozenset({"job", "posit", "staff", "worker", "employe", "workforc", "headcount", "role"})

CONTEST_STEMS = frozenset(
    {
        "elect",
        "vote",
        "race",
        "match",
        "game",
        "seat",
        "case",
        "battl",
        "war",
        "titl",
        "cup",
        "referendum",
        "runoff",
        "final",
        "contest",
        "appeal",
        "bid",
        "tender",
        "award",
        "prize",
        "primari",
        "caucus",
        "seri",
        "tournament",
        "leadership",
        "poll",
        "ballot",
        "fight",
        "bout",
        "trial",
        "lawsuit",
        "suit",
        "majority",
        "major",
        "round",
        "semi",
        "leg",
    }
)

# "accepted the recommendations" is an outcome, "accepted bribes" is not.
ACCEPT_OBJECTS = frozenset(
    {
        "recommend",
        "offer",
        "propos",
        "deal",
        "plan",
        "resign",
        "term",
        "demand",
        "bid",
        "condit",
        "invit",
        "appeal",
        "request",
        "agreement",
        "verdict",
        "rule",
        "result",
        "report",
        "amend",
        "motion",
        "settlement",
    }
)

CLAIM_OBJECTS = frozenset(
    {"alleg", "claim", "accus", "report", "suggest", "rumour", "rumor", "charg", "assert"}
)

NEGATOR_WORDS = frozenset(
    {"not", "never", "no", "none", "nobody", "nothing", "neither", "nor", "without", "cannot"}
)

# WordNet antonyms that tell two details apart rather than two outcomes ("the first vote" / "the
# last vote", "the north bank" / "the south bank"): a word here never makes opposite outcomes.
ANTONYM_DETAILS = frozenset(
    str.split(
        "first last new old north south east west northern southern eastern western up down left "
        "right more less most least early late earlier later former latter young old older "
        "younger same different other big small large little high low higher lower long short "
        "major minor public private inside outside upper lower front back black white dark light "
        "male female"
    )
)

# Prepositions of opposite direction: the same movement one way and the other ("into" / "out of").
DIRECTION_OPPOSITES: tuple[tuple[str, str], ...] = (
    ("into", "out"),
    ("onto", "off"),
    ("on", "off"),
    ("towards", "away"),
    ("toward", "away"),
    ("to", "from"),
)

# Comparatives that make "no"/"not" a bound on a figure or a date, not a denial: "no more than
# 40", "not later than May" (``polarity``); with "longer" and "sooner", what a "there is no"
# opening must not be followed by.
BOUND_COMPARATIVES = ("more", "fewer", "less", "later", "earlier")
_NOT_NOTHING = "|".join((*BOUND_COMPARATIVES, "longer", "sooner"))

# The opening of a claim that nothing of a kind happens: "there is no", "nobody", "no one",
# "no <noun>". Not the hedges "no more than", "no fewer than", "no later than" (figures and dates).
NOTHING_OPENING = re.compile(
    rf"^(?:there (?:is|are|was|were|has been|have been) no(?! (?:{_NOT_NOTHING})\b)"
    r"|there (?:isn't|aren't|wasn't|weren't|is not|are not|was not|were not) (?:a|an|any)"
    rf"|nobody|no one|no-one|none of the|no(?! (?:{_NOT_NOTHING}|doubt|matter)\b)"
    r"(?= [a-z]))\b",
    re.IGNORECASE,
)
# The words of such an opening, left out when the rest of the claim is compared.
NOTHING_WORDS = ("there", "no", "nobody", "one", "none", "any", "is", "are", "was", "were", "been")

NEGATING_VERBS = frozenset({"fail", "refus", "declin"})

# Words that stop a negation from reaching the cue ("not only ... but", "no sooner")
NEGATION_BLOCKERS = frozenset({"only", "sooner", "longer"})

# ---------------------------------------------------------------- from normalise
STOPWORDS: frozenset[str] = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "aren't",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "can't",
        "cannot",
        "could",
        "couldn't",
        "did",
        "didn't",
        "do",
        "does",
        "doesn't",
        "doing",
        "don't",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "hadn't",
        "has",
        "hasn't",
        "have",
        "haven't",
        "having",
        "he",
        "he'd",
        "he'll",
        "he's",
        "her",
        "here",
        "here's",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "how's",
        "i",
        "i'd",
        "i'll",
        "i'm",
        "i've",
        "if",
        "in",
        "into",
        "is",
        "isn't",
        "it",
        "it's",
        "its",
        "itself",
        "let's",
        "me",
        "more",
        "most",
        "mustn't",
        "my",
        "myself",
        "nor",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "ought",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "shan't",
        "she",
        "she'd",
        "she'll",
        "she's",
        "should",
        "shouldn't",
        "so",
        "some",
        "such",
        "than",
        "that",
        "that's",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "there's",
        "these",
        "they",
        "they'd",
        "they'll",
        "they're",
        "they've",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "wasn't",
        "we",
        "we'd",
        "we'll",
        "we're",
        "we've",
        "were",
        "weren't",
        "what",
        "what's",
        "when",
        "when's",
        "where",
        "where's",
        "which",
        "while",
        "who",
        "who's",
        "whom",
        "why",
        "why's",
        "with",
        "won't",
        "would",
        "wouldn't",
        "you",
        "you'd",
        "you'll",
        "you're",
        "you've",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "also",
        "just",
        "will",
        "said",
        "says",
        "say",
        "according",
        "s",
        "t",
        "via",
        "rt",
        "amp",
        "us",
        "would",
        "one",
    ]
)

# Words that flip or weaken a statement; kept out of STOPWORDS' effect by polarity.py, which reads
# raw tokens, but removed from index terms because they carry no topic.
NEGATORS: frozenset[str] = frozenset(
    {"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "n't", "cannot"}
)

# Paraphrase groups that matter in news claims. Keys are Snowball stems.
CONCEPT_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("troop", ("troop", "soldier", "forc", "personnel", "fighter", "servicemen", "militari", "armi")),
    ("send", ("sent", "send", "deploy", "dispatch", "station", "engag")),
    ("die", ("kill", "die", "dead", "death", "fatal", "perish", "toll", "life", "live")),
    ("injur", ("injur", "wound", "hurt")),
    ("casualti", ("casualti", "loss")),
    ("arrest", ("arrest", "detain", "detent", "custodi")),
    ("suicid", ("suicid",)),
    ("evacu", ("evacu", "fled", "flee", "displac")),
    ("home", ("home", "hous", "household", "dwell")),
    ("job", ("job", "posit", "staff", "employe", "workforc")),
    ("turnout", ("turnout", "turn")),
    ("fire_", ("fire", "blaze", "wildfir", "inferno")),
    ("quak", ("earthquak", "quak", "tremor")),
    ("strike_", ("strike", "walkout")),
    ("vehicl", ("car", "vehicl")),
    ("compani", ("compani", "firm")),
    ("stock", ("share", "stock")),
    ("journalist", ("journalist", "correspond")),
    ("polic", ("polic", "policemen", "policewomen", "offic", "constabl")),
    ("unemploy", ("unemploy", "jobless")),
    ("resign", ("resign", "quit")),
    ("sack", ("sack", "fire", "dismiss", "oust")),
    ("elect", ("elect", "poll", "vote", "ballot")),
    ("protest", ("protest", "demonstr", "march", "ralli")),
    ("capture", ("captur", "seiz", "prison", "pow")),
    ("agreement", ("deal", "agreement", "accord", "pact")),
    ("revenu", ("revenu", "sale", "turnov")),
    ("profit", ("profit", "earn")),
    ("rais", ("rais", "increas", "rise", "rose", "climb", "jump", "soar", "surg", "grew", "grow", "gain")),
    ("fall", ("fall", "fell", "drop", "declin", "decreas", "slump", "plung", "slid", "slip", "eas", "slow")),
    ("approv", ("approv", "pass", "adopt", "ratifi", "endors", "back", "uphold", "upheld")),
    ("reject", ("reject", "veto", "refus", "declin", "overturn")),
    ("cancel", ("cancel", "scrap", "axe")),
    ("children", ("children", "child", "kid", "pupil", "student")),
    ("power", ("power", "electr")),
    ("say", ("said", "say", "announc", "claim", "report", "told")),
    ("kilometr", ("kilometr", "km")),
    ("percent", ("percent", "per", "cent", "pct")),
)

DEMONYMS: dict[str, str] = {
    "american": "america",
    "american's": "america",
    "british": "britain",
    "uk": "britain",
    "chinese": "china",
    "french": "france",
    "german": "germany",
    "dutch": "netherlands",
    "swiss": "switzerland",
    "korean": "korea",
    "russian": "russia",
    "ukrainian": "ukraine",
    "israeli": "israel",
    "iranian": "iran",
    "iraqi": "iraq",
    "syrian": "syria",
    "turkish": "turkey",
    "japanese": "japan",
    "indian": "india",
    "pakistani": "pakistan",
    "afghan": "afghanistan",
    "mexican": "mexico",
    "canadian": "canada",
    "australian": "australia",
    "european": "europe",
    "african": "africa",
    "spanish": "spain",
    "italian": "italy",
    "polish": "poland",
    "greek": "greece",
    "palestinian": "palestine",
    "egyptian": "egypt",
    "saudi": "saudi",
    "us": "america",
    "u.s": "america",
    "usa": "america",
    "pyongyang": "north korea",
    "kyiv": "ukraine",
    "kiev": "ukraine",
    "moscow": "russia",
    "kremlin": "russia",
    "beijing": "china",
    "seoul": "south korea",
    "washington": "america",
}


# ---------------------------------------------------------------- unit conversions
# Canonical unit of each dimension and how to reach it: unit -> (canonical unit, factor, offset),
# value_canonical = value * factor + offset. A figure is stored in its canonical unit (its
# surface stays as written), so "140 millimetres" and "about 5.5 inches" compare as lengths.
# Entries are SI definitions (international inch, foot, mile, avoirdupois pound, US gallon), not
# fits to any pair: a desk meets both unit systems in agency copy every day.
UNIT_CONVERSIONS: dict[str, tuple[str, float, float]] = {
    # length -> metre
    "mm": ("metre", 0.001, 0.0),
    "cm": ("metre", 0.01, 0.0),
    "km": ("metre", 1000.0, 0.0),
    "inch": ("metre", 0.0254, 0.0),
    "foot": ("metre", 0.3048, 0.0),
    "mile": ("metre", 1609.344, 0.0),
    # area -> square metre
    "hectare": ("square_metre", 1e4, 0.0),
    "acre": ("square_metre", 4046.8564224, 0.0),
    "square_km": ("square_metre", 1e6, 0.0),
    "square_mile": ("square_metre", 2_589_988.110336, 0.0),
    "square_metre": ("square_metre", 1.0, 0.0),
    "square_foot": ("square_metre", 0.09290304, 0.0),
    # mass -> kilogram
    "gram": ("kg", 0.001, 0.0),
    "tonne": ("kg", 1000.0, 0.0),
    "lb": ("kg", 0.45359237, 0.0),
    # volume -> litre
    "ml": ("litre", 0.001, 0.0),
    "gallon": ("litre", 3.785411784, 0.0),
    "cubic_metre": ("litre", 1000.0, 0.0),
    # temperature -> degree Celsius (the offset is why this is a table and not a factor)
    "fahrenheit": ("degree", 5.0 / 9.0, -32.0 * 5.0 / 9.0),
    # speed -> km/h
    "mph": ("kmh", 1.609344, 0.0),
}

# Fractions read as shares of a whole, in percent: "a fifth" is 20 %, "half" 50 %.
FRACTION_WORDS: dict[str, float] = {
    "half": 0.5,
    "third": 1 / 3,
    "thirds": 1 / 3,
    "quarter": 0.25,
    "quarters": 0.25,
    "fifth": 0.2,
    "fifths": 0.2,
    "tenth": 0.1,
    "tenths": 0.1,
}
# Numerators written before a fraction word ("a third", "two fifths").
FRACTION_NUMERATORS: dict[str, float] = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "nine": 9}

# Words that make a figure a count of deaths whatever verb governs it ("lost their lives",
# "claimed 53 lives"): "lost" alone is a casualty (killed or wounded) count.
LIFE_WORDS = frozenset({"lives", "life"})
# After "X of": "Five of the people killed", "900 of its 3,600 jobs", "29 of them".
PARTITIVE_DETERMINERS = frozenset(
    {"the", "its", "their", "them", "these", "those", "our", "his", "her", "all"}
)
# Words that follow a figure whose noun is elided ("and 8 in the south", "and 3 on Friday").
ELLIPSIS_FOLLOWERS = frozenset(
    {"in", "at", "on", "from", "across", "near", "inside", "outside", "elsewhere", "more"}
)
# Stems of verbs that make the next figure a difference rather than a level ("rose 12 %",
# "cut 900 jobs" is a count, but "cut by a third" is caught by "by").
CHANGE_STEMS = frozenset(
    {
        "rise",
        "rose",
        "risen",
        "increas",
        "climb",
        "jump",
        "soar",
        "grew",
        "grow",
        "gain",
        "fall",
        "fell",
        "fallen",
        "drop",
        "declin",
        "decreas",
        "slump",
        "plung",
        "slid",
        "slip",
        "shrank",
        "shrink",
        "dip",
    }
)
# Comparatives after a figure that make it a difference ("20 percent lower", "12 % more").
COMPARATIVES = frozenset(
    {"more", "less", "fewer", "higher", "lower", "up", "down", "above", "below", "cheaper"}
)

# Person nouns that name no particular group: "120 people" may include "8 firefighters".
GENERIC_PERSON_STEMS = frozenset({"peopl", "person", "individu", "victim", "civilian", "resid"})

# Single-word cues that need a word after them to be an outcome: "cleared of bribery" is an
# acquittal, "cleared the road" is not; "up 12 %" is a rise, "up the hill" is not (checked in
# polarity: a figure must follow "up"/"down").
CUE_NEEDS_AFTER: dict[str, frozenset[str]] = {"clear": frozenset({"of"})}
# Words that say a state persists; they add no topic of their own ("remains suspended").
PERSISTENCE_WORDS = frozenset({"remain", "still", "stay", "stayed", "kept", "keep"})

# Verbs whose subject is who suffered the counted harm ("troops have suffered 3,000 casualties",
# "the army lost 400 men"), unlike "police arrested 35", whose subject is the agent.
SUFFER_STEMS = frozenset({"suffer", "sustain", "lost", "lose", "incur"})

# Units of time that say how long, not what about ("after nine hours", "for three days").
DURATION_WORDS = frozenset(
    {"second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks"}
)

# Degrees of damage that disaster copy tallies separately: "400 homes destroyed" are not a rival
# figure for "2,300 homes damaged" (agencies report both, and the destroyed are often not counted
# among the damaged).
DAMAGE_DEGREES: dict[str, str] = {
    "destroy": "destroyed",
    "flatten": "destroyed",
    "raze": "destroyed",
    "razed": "destroyed",
    "damag": "damaged",
}

# Extremes of the measured quantity itself ("Monday's highest temperature" is the temperature that
# "reached 43 °C"): they do not make the figure about another subject.
EXTREMA_WORDS = frozenset({"highest", "lowest", "peak", "maximum", "minimum", "top", "record"})

# ---------------------------------------------------------------- from frames and alignment
# Bodies that act: a chamber, a court, the police ("House" only capitalised or "lower/upper house").
BODIES = frozenset(
    {
        "chamber",
        "house",
        "senate",
        "assembly",
        "parliament",
        "congress",
        "council",
        "court",
        "jury",
        "judge",
        "police",
        "organiser",
        "organizer",
        "union",
        "ministry",
        "government",
        "committee",
        "board",
        "commission",
        "army",
        "navy",
        "guard",
        "cabinet",
        "tribunal",
        "regulator",
        "shareholder",
    }
)
# Members named for their body: "deputies approved" is the lower chamber acting, "senators
# approved" the senate. Generic members ("lawmakers", "MPs") name no one chamber and are left out.
MEMBER_BODIES = {"deputy": "chamber", "senator": "senate", "councillor": "council", "councilor": "council"}

# Nouns that name a whole a place can be a part of ("7 died in Renwick" / "40 in the province").
WHOLE_NOUNS = frozenset(
    {"province", "region", "country", "state", "nation", "county", "area", "territory", "nationwide", "total"}
)
# Measures counted place by place and summed into a toll (not a crowd, not arrests at one event).
TOLL_MEASURES = frozenset({"killed", "injured", "casualties", "displaced", "evacuated"})

# ---------------------------------------------------------------- from worthiness
# Words and phrases the check-worthiness cues look for among a sentence's lower-case words (a
# possessive "'s" dropped). Each list is a class of news wording, as wire copy reports and attributes
# facts, not the words of one article.

#: Counts written as words: "dozens of people", "two thirds" are figures as much as "3,000".
WORTH_NUMBER_WORDS = tuple(
    str.split(
        "hundred|hundreds|thousand|thousands|million|millions|billion|billions|trillion|trillions|"
        "dozen|dozens|half|twice|two|three|four|five|six|seven|eight|nine|ten|"
        "eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|percent|per cent",
        "|",
    )
)
#: Fractions count only after a count ("a third of", "two thirds"): "the third time" is an ordinal.
WORTH_FRACTION_WORDS = ("third", "thirds", "quarter", "quarters", "fifth", "fifths")
WORTH_FRACTION_COUNTS = ("a", "one", "two", "three", "four")
#: A claim about change or rank: a comparison, a movement of a figure.
WORTH_COMPARISONS = tuple(
    str.split(
        "more|less|fewer|higher|lower|greater|smaller|larger|than|compared|doubled|tripled|halved|"
        "increase|increased|increases|decrease|decreased|decreases|rose|risen|rise|rises|rising|fell|"
        "fallen|fall|falls|dropped|grew|grown|growth|exceeds|exceeded|up from|down from|at least|"
        "at most|nearly|almost|over|under|climbed|jumped|soared|surged|slumped|plunged|declined|cut|"
        "cuts|raise|raised",
        "|",
    )
)
#: Verbs and phrases that report what someone said (the speaker reader uses the verbs too).
WORTH_SAY_VERBS = tuple(
    str.split(
        "said|says|told|stated|claimed|claims|alleged|reported|announced|confirmed|denied|estimated|"
        "warned|added|insisted|revealed|explained|noted|argued|acknowledged|admitted|say|predicted|"
        "predicts|suggested|believed|estimates",
        "|",
    )
)
WORTH_SAY_PHRASES = ("according to", "allegedly", "reportedly")
#: Reporting that marks a statement as contested or unverified: the claims checkers take up first.
WORTH_CONTESTED = tuple(
    str.split(
        "claim|claims|claimed|alleged|allegedly|alleges|reportedly|insisted|insists|denied|denies|deny|"
        "disputed|disputes|accused|accuses|admitted|admits|acknowledged|confirmed|confirms|estimated|"
        "estimates|predicted|predicts|warned|revealed|maintained|suggested|suggests|believed|"
        "unconfirmed|unverified|there are reports|it is understood",
        "|",
    )
)
#: Nouns and verbs that a that-clause follows when it states a proposition ("reported that ...",
#: "an analysis that ...").
WORTH_THAT_HEADS = tuple(
    str.split(
        "said|says|say|told|stated|claimed|claims|claim|alleged|reported|reports|announced|confirmed|"
        "confirms|denied|denies|estimated|estimates|warned|insisted|insists|revealed|noted|argued|"
        "acknowledged|admitted|predicted|predicts|suggested|suggests|believed|believes|concluded|"
        "found|showed|shows|analysis|report|evidence|prediction|predictions|assessment|fears|"
        "indicate|indicates|indicated",
        "|",
    )
)
#: What a reported statement carries after its subject ("He said 3,000 people had been ...") and
#: what an absence is stated with ("no arrests were made").
WORTH_AUXILIARIES = frozenset(str.split("had has have was were would will is are"))
#: Causal links between facts.
WORTH_CAUSAL = tuple(
    str.split(
        "because|due to|caused|causes|led to|leads to|result in|resulted in|as a result|owing to|"
        "blamed|therefore|thanks to|in order to|so that|linked to|triggered",
        "|",
    )
)
#: Superlatives and absolutes: easy to state, often wrong (any "-est" word is read as well; "at
#: least" and "at most" are hedges, not superlatives).
WORTH_SUPERLATIVES = tuple(
    str.split(
        "most|least|largest|biggest|highest|lowest|worst|best|first|last|record|only|never|all|every|"
        "none|unprecedented",
        "|",
    )
)
#: Words ending in "-est" that are not superlatives ("protest", "arrest", "interest").
WORTH_NOT_SUPERLATIVES = frozenset(
    str.split(
        "interest interests protest protests request requests forest forests arrest arrests suggest "
        "suggests honest modest manifest contest contests invest invests harvest digest conquest earnest "
        "unrest southwest northwest midwest priest priests inquest tempest attest detest behest"
    )
)
#: Bodies and office-holders a claim is about or comes from.
WORTH_BODIES = tuple(
    str.split(
        "ministry|minister|government|agency|department|council|committee|commission|police|army|"
        "forces|military|intelligence|service|office|parliament|assembly|court|authority|authorities|"
        "municipality|university|institute|union|bank|company|corporation|organisation|organization|"
        "senate|chamber|spokesperson|spokesman|spokeswoman|official|officials|officers|governor|mayor|"
        "president|secretary|prosecutor|prosecutors|investigators|analysts|experts|economists|"
        "scientists|researchers|sources",
        "|",
    )
)
#: What asserts an absence or a denial: "no arrests were made" is as checkable as "35 were".
WORTH_NONE_WORDS = ("no", "none", "neither", "zero", "nobody", "nothing")
WORTH_DENIALS = tuple(
    str.split("denied|denies|deny|rejected|refuted|dismissed|no record of|no evidence", "|")
)
#: Page furniture and calls to the reader: nothing in them is a claim about the world.
WORTH_FURNITURE = tuple(
    str.split(
        "all rights reserved|subscribe|newsletter|sign up|click here|read more|share this|follow us|"
        "tell us your|write to us|contact us|email protected|leave a comment|you may also like|"
        "reporting by|editing by",
        "|",
    )
)


# ---------------------------------------------------------------- from the judge's word overlap (overlap.py)
# Stems (normalise.stem), as the concepts they are compared with.
# Words that never make two subjects different: measure words, hedges, reporting verbs,
# generic nouns and time words.
NEUTRAL_STEMS = frozenset(
    {
        "die",
        "injur",
        "casualti",
        "arrest",
        "evacu",
        "capture",
        "troop",
        "send",
        "peopl",
        "person",
        "offici",
        "say",
        "report",
        "figur",
        "number",
        "total",
        "estim",
        "data",
        "latest",
        "least",
        "nearli",
        "almost",
        "around",
        "roughli",
        "approxim",
        "rais",
        "fall",
        "more",
        "less",
        "fewer",
        "than",
        "record",
        "week",
        "day",
        "month",
        "year",
        "past",
        "last",
        "sinc",
        "far",
        "date",
        "overal",
        "daili",
        "alon",
        *WEEKDAYS,
        "januari",
        "februari",
        "march",
        "april",
        "may",
        "june",
        "juli",
        "august",
        "septemb",
        "octob",
        "novemb",
        "decemb",
        "morn",
        "even",
        "night",
        "earli",
        "late",
        "now",
        "yet",
        "still",
        "also",
        "alreadi",
        "onli",
        "just",
        "accord",
        "polic",
        "organis",
        "organ",
        "sourc",
        "ministri",
        "spokesman",
        "spokeswoman",
        "told",
        "percent",
        "voter",
        "resid",
        "citizen",
        "public",
        "countri",
        "nation",
        "region",
        "area",
        "local",
        "new",
        "some",
        "toll",
        "suffer",
        "made",
        "took",
        "part",
        "reach",
        "stand",
        "hit",
        "put",
        "stood",
        "go",
        "went",
        "got",
        "left",
        "leav",
        "take",
        "bring",
        "brought",
        "caus",
        "result",
        "forc",
        "compar",
        "combat",
        "engag",
        "aliv",
        "suicid",
    }
)

# Words after which an extra word is not a restrictive modifier (measure words, generic nouns).
NEUTRAL_HEAD_STEMS = frozenset({"peopl", "person", "offici", "report", "figur", "number", "total", "say"})

# Function words never restrict a noun ("despite the pipeline outage").
FUNCTION_STEMS = frozenset(
    {
        "despit",
        "amid",
        "follow",
        "befor",
        "after",
        "dure",
        "near",
        "against",
        "toward",
        "across",
        "among",
        "through",
        "sinc",
        "until",
        "within",
        "without",
        "via",
        "per",
        "like",
        "unlik",
        "includ",
        "regard",
        "concern",
        "plus",
        "onto",
        "upon",
        "besid",
        "beyond",
        "outsid",
        "insid",
        "behind",
        "around",
        "off",
        "aboard",
    }
)
