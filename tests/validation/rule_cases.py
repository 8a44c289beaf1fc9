
"""One failing and one passing Turtle example for every rule in shapes/.

A rule is ``{shape local name}/{constraint}``: the constraint parameter for SHACL Core (``minCount``)
or the local name of the SPARQL constraint. The passing example is a near miss of the failing one,
so a rule that fires on everything (or on nothing) is caught.
"""

from __future__ import annotations

PREFIXES = """
@prefix s: <http://schema.org/> .
@prefix k: <https://w3id.org/kgpub/ns#> .
@prefix x: <http://www.w3.org/2001/XMLSchema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix : <http://example.org/> .
"""

W = ':w a s:ScholarlyArticle ; s:name "T" ; k:arxivId "2303.06182" '
P = ':p a s:Person , foaf:Person ; s:name "Ann Lee" '
A = (
    ':w k:authorship :a . :a a k:Authorship ; k:position 1 ; k:printedName "Ann Lee" ; k:person :p . '
    + W
    + " . "
    + P
    + " ."
)
SNAP = ':s a k:ProfileSnapshot ; k:snapshotOf :p ; dct:date "2024-05-01"^^x:date ; k:worksCount 1 ; k:trustScore 21 '
LIST = (
    ":l a k:FeedListing ; k:listedWork :w ; k:position 1 ; k:score 72.7 ; k:hasCode true ; "
    'k:capturedOn "2024-05-01"^^x:date ; dct:date "2022-05-30"^^x:date '
)
DOC = (
    ':d a k:SourceDocument ; k:fileName "feed.txt" ; k:capturedOn "2024-05-01"^^x:date ; k:namedGraph :g ; '
    'k:sha256 "' + "a" * 64 + '" '
)
DIAG = (
    ':x a k:ParseDiagnostic ; k:diagnosticOf :d ; k:diagnosticSeverity "error" ; k:diagnosticMessage "m" ; '
    "k:sourceLine 3 "
)


def _diag(diagnostic: str) -> str:
    """A diagnostic with the source document it names."""
    return diagnostic + ". " + DOC + "."


TOPIC = ':t a skos:Concept ; skos:prefLabel "Machine Learning" ; skos:notation "cs.LG" '

CASES: dict[str, tuple[str, str]] = {
    # -- works
    "Work/Work-unidentifiable": (
        ":w a s:ScholarlyArticle .",
        ":w a s:ScholarlyArticle ; s:sameAs <https://doi.org/10.1145/1> .",
    ),
    "WorkUntitled/Work-title-missing": (
        ":w a s:ScholarlyArticle ; s:sameAs <https://doi.org/10.1145/1> .",
        W + ".",
    ),
    "Work-title-conflict/maxCount": (W + '; s:name "T2" .', W + "."),
    "Work-title-type/nodeKind": (W + "; s:name :iri .", W + "."),
    "Work-title-type/minLength": (W + '; s:name "" .', W + "."),
    "Work-arxivId/pattern": (W + '; k:arxivId "2303.06182v2" .', W + '; k:arxivId "hep-th/9901001" .'),
    "Work-arxivId/datatype": (W + '; k:arxivId "2303.06183"@en .', W + "."),
    "Work-doi/pattern": (W + '; k:doi "10.1145/ABC" .', W + '; k:doi "10.1145/abc" .'),
    "Work-doi/datatype": (W + "; k:doi <https://doi.org/10.1145/abc> .", W + '; k:doi "10.1145/abc" .'),
    "Work/Work-shared-identifier": (
        W + '. :w2 a s:ScholarlyArticle ; k:arxivId "2303.06182" .',
        W + '. :w2 a s:ScholarlyArticle ; k:arxivId "2303.06183" .',
    ),
    "Work-datePublished/date-typed": (
        W + '; s:datePublished "2022-13-01"^^x:date .',
        W + '; s:datePublished "2022-12"^^x:gYearMonth .',
    ),
    "Work-dateCreated/date-typed": (
        W + '; s:dateCreated "May 2022" .',
        W + '; s:dateCreated "2022"^^x:gYear .',
    ),
    "Work-dateListed/date-typed": (
        W + '; k:dateListed "2022-5"^^x:gYearMonth .',
        W + '; k:dateListed "2022-05"^^x:gYearMonth .',
    ),
    "Work-datePublished-conflict/maxCount": (
        W + '; s:datePublished "2022"^^x:gYear , "2021"^^x:gYear .',
        W + '; s:datePublished "2022"^^x:gYear .',
    ),
    "Work-dateCreated-conflict/maxCount": (
        W + '; s:dateCreated "2022-05-30"^^x:date , "2022-06-01"^^x:date .',
        W + '; s:dateCreated "2022-05-30"^^x:date .',
    ),
    "Work-year-inferred/in": (W + "; k:yearInferred true .", W + "; k:yearInferred false ."),
    "Work-author/class": (W + "; s:author :o . :o a s:Organization .", W + "; s:author :p . " + P + "."),
    "Work-about/nodeKind": (
        W + '; s:about "cs.LG" .',
        W + "; s:about <https://w3id.org/kgpub/arxiv/cs.LG> .",
    ),
    "Work-about/pattern": (
        W + "; s:about <https://w3id.org/kgpub/arxiv/LG%20x> .",
        W + "; s:about <https://w3id.org/kgpub/arxiv/hep-th> .",
    ),
    "Work-topic-known/class": (
        W + "; s:about <https://w3id.org/kgpub/arxiv/cs.XX> .",
        W
        + "; s:about <https://w3id.org/kgpub/arxiv/cs.LG> . <https://w3id.org/kgpub/arxiv/cs.LG> a skos:Concept .",
    ),
    "Work-category-unresolved/maxCount": (
        W + '; k:categoryUnresolved "LG (ambiguous: cs.LG, stat.ML)" .',
        W + '; k:categoryPrinted "LG" ; s:about <https://w3id.org/kgpub/arxiv/cs.LG> .',
    ),
    "Work-byline-truncated/in": (W + "; k:bylineTruncated true .", W + "; k:bylineTruncated false ."),
    "Work/Work-position-duplicate": (
        A + ' :w k:authorship :a2 . :a2 a k:Authorship ; k:position 1 ; k:printedName "Bo" .',
        A + ' :w k:authorship :a2 . :a2 a k:Authorship ; k:position 2 ; k:printedName "Bo" .',
    ),
    "Work/Work-position-gap": (
        A + ' :w k:authorship :a2 . :a2 a k:Authorship ; k:position 3 ; k:printedName "Bo" .',
        A + ' :w k:authorship :a2 . :a2 a k:Authorship ; k:position 2 ; k:printedName "Bo" .',
    ),
    "WorkMergeCandidate/Work-merge-candidate": (
        W + ". :c a k:MergeCandidate ; k:candidateWork :w , :w2 ; k:similarity 0.93 .",
        W + ". :c a k:MergeCandidate ; k:similarity 0.93 .",
    ),
    # -- persons, byline slots, organisations
    "Person/class": (':p a s:Person ; s:name "Ann" .', P + "."),
    "Person-name/minCount": (":p a s:Person , foaf:Person .", P + "."),
    "Person-name/nodeKind": (P + "; s:name :n .", P + "."),
    "Person-name/minLength": (':p a s:Person , foaf:Person ; s:name "" .', P + "."),
    "Person-orcid/pattern": (P + '; k:orcid "0000-0002-1825-009" .', P + '; k:orcid "0000-0002-1825-009X" .'),
    "Person-orcid/datatype": (
        P + "; k:orcid <https://orcid.org/0000-0002-1825-009X> .",
        P + '; k:orcid "0000-0002-1825-009X" .',
    ),
    "PersonAmbiguity/Person-ambiguous": (
        P
        + '. :p2 a s:Person . :amb a k:PersonAmbiguity ; k:candidatePerson :p , :p2 ; rdfs:comment "same initials" .',
        P
        + '. :p2 a s:Person . :amb a k:PersonAmbiguity ; k:candidatePerson :p ; rdfs:comment "same initials" .',
    ),
    "Authorship/Authorship-et-al": (A.replace('k:printedName "Ann Lee"', 'k:printedName "et al."'), A),
    "Authorship/Authorship-organisation": (
        A.replace('k:printedName "Ann Lee"', 'k:printedName "Meta AI"')
        + ' :o a s:Organization ; s:name "Meta AI" .',
        A + ' :o a s:Organization ; s:name "Meta AI" .',
    ),
    "Authorship-work/minCount": (A.replace(":w k:authorship :a .", ""), A),
    "Authorship-work/maxCount": (A + " :w2 a s:ScholarlyArticle ; k:authorship :a .", A),
    "Authorship-work/class": (A.replace(":w k:authorship :a .", ":p k:authorship :a ."), A),
    "Authorship-position/minCount": (A.replace("k:position 1 ;", ""), A),
    "Authorship-position/maxCount": (A + " :a k:position 2 .", A),
    "Authorship-position/datatype": (A.replace("k:position 1 ;", 'k:position "1" ;'), A),
    "Authorship-position/minInclusive": (A.replace("k:position 1 ;", "k:position 0 ;"), A),
    "Authorship-printedName/minCount": (A.replace('k:printedName "Ann Lee" ;', ""), A),
    "Authorship-printedName/maxCount": (A + ' :a k:printedName "A. Lee" .', A),
    "Authorship-printedName/datatype": (
        A.replace('k:printedName "Ann Lee"', 'k:printedName "Ann Lee"@en'),
        A,
    ),
    "Authorship-printedName/minLength": (A.replace('k:printedName "Ann Lee"', 'k:printedName ""'), A),
    "Authorship-person/maxCount": (A + ' :a k:person :p2 . :p2 a s:Person , foaf:Person ; s:name "Ann" .', A),
    "Authorship-person/class": (
        A.replace("k:person :p", "k:person :o") + ' :o a s:Organization ; s:name "O" .',
        A,
    ),
    "Organization-name/minCount": (":o a s:Organization .", ':o a s:Organization ; s:name "ETH" .'),
    "Organization-name/nodeKind": (
        ":o a s:Organization ; s:name :n .",
        ':o a s:Organization ; s:name "ETH" .',
    ),
    "Organization-name/minLength": (
        ':o a s:Organization ; s:name "" .',
        ':o a s:Organization ; s:name "ETH" .',
    ),
    # -- profiles, listings, topics, source documents
    "Profile-person/minCount": (SNAP.replace("k:snapshotOf :p ;", "") + ".", SNAP + ". " + P + "."),
    "Profile-person/maxCount": (
        SNAP + "; k:snapshotOf :p2 . " + P + ". :p2 a s:Person .",
        SNAP + ". " + P + ".",
    ),
    "Profile-person/class": (SNAP + ".", SNAP + ". " + P + "."),
    "Profile-captured/maxCount": (
        SNAP + '; dct:date "2024-05-02"^^x:date . ' + P + ".",
        SNAP + ". " + P + ".",
    ),
    "Profile-captured/datatype": (
        SNAP.replace('"2024-05-01"^^x:date', '"2024-05-01"') + ". " + P + ".",
        SNAP + ". " + P + ".",
    ),
    "Profile-worksCount/maxCount": (SNAP + "; k:worksCount 2 . " + P + ".", SNAP + ". " + P + "."),
    "Profile-worksCount/datatype": (
        SNAP.replace("k:worksCount 1", 'k:worksCount "6works"') + ". " + P + ".",
        SNAP + ". " + P + ".",
    ),
    "Profile-worksCount/minInclusive": (
        SNAP.replace("k:worksCount 1", "k:worksCount -1") + ". " + P + ".",
        SNAP + ". " + P + ".",
    ),
    "Profile-trustScore/maxCount": (SNAP + "; k:trustScore 22 . " + P + ".", SNAP + ". " + P + "."),
    "Profile-trustScore/datatype": (
        SNAP.replace("k:trustScore 21", 'k:trustScore "21 - Emerging"') + ". " + P + ".",
        SNAP + ". " + P + ".",
    ),
    "Profile-trustScore/minInclusive": (
        SNAP.replace("k:trustScore 21", "k:trustScore -1") + ". " + P + ".",
        SNAP.replace("k:trustScore 21", "k:trustScore 0") + ". " + P + ".",
    ),
    "Profile-trustScore/maxInclusive": (
        SNAP.replace("k:trustScore 21", "k:trustScore 101") + ". " + P + ".",
        SNAP.replace("k:trustScore 21", "k:trustScore 100") + ". " + P + ".",
    ),
    "ProfileUndercount/Profile-undercount": (
        SNAP + ". " + P + ". :w1 s:author :p . :w2 s:author :p .",
        SNAP + ". " + P + ". :w1 s:author :p .",
    ),
    "ProfileOvercount/Profile-overcount": (SNAP + ". " + P + ".", SNAP + ". " + P + ". :w1 s:author :p ."),
    "Listing-work/minCount": (LIST.replace("k:listedWork :w ;", "") + ".", LIST + ". " + W + "."),
    "Listing-work/maxCount": (
        LIST + "; k:listedWork :w2 . " + W + ". :w2 a s:ScholarlyArticle .",
        LIST + ". " + W + ".",
    ),
    "Listing-work/class": (LIST + ".", LIST + ". " + W + "."),
    "Listing-position/maxCount": (LIST + "; k:position 2 . " + W + ".", LIST + ". " + W + "."),
    "Listing-position/datatype": (
        LIST.replace("k:position 1", "k:position 1.5") + ". " + W + ".",
        LIST + ". " + W + ".",
    ),
    "Listing-position/minInclusive": (
        LIST.replace("k:position 1", "k:position 0") + ". " + W + ".",
        LIST + ". " + W + ".",
    ),
    "Listing-score/maxCount": (LIST + "; k:score 1.0 . " + W + ".", LIST + ". " + W + "."),
    "Listing-score/datatype": (
        LIST.replace("k:score 72.7", 'k:score "72.7"') + ". " + W + ".",
        LIST + ". " + W + ".",
    ),
    "Listing-hasCode/maxCount": (LIST + "; k:hasCode false . " + W + ".", LIST + ". " + W + "."),
    "Listing-hasCode/datatype": (
        LIST.replace("k:hasCode true", 'k:hasCode "Code"') + ". " + W + ".",
        LIST + ". " + W + ".",
    ),
    "Listing-captured/maxCount": (
        LIST + '; k:capturedOn "2024-05-02"^^x:date . ' + W + ".",
        LIST + ". " + W + ".",
    ),
    "Listing-captured/datatype": (
        LIST.replace('k:capturedOn "2024-05-01"^^x:date', 'k:capturedOn "2024-05-01"') + ". " + W + ".",
        LIST + ". " + W + ".",
    ),
    "Listing-date/date-typed": (
        LIST.replace('"2022-05-30"^^x:date', '"2022-05-30"^^x:gYear') + ". " + W + ".",
        LIST.replace('"2022-05-30"^^x:date', '"2022"^^x:gYear') + ". " + W + ".",
    ),
    "Listing-category-unresolved/maxCount": (
        LIST + '; k:categoryUnresolved "AR (ambiguous: cs.AR, astro-ph)" . ' + W + ".",
        LIST + '; k:categoryPrinted "LG" . ' + W + ".",
    ),
    "Listing-year-inferred/in": (LIST + "; k:yearInferred true . " + W + ".", LIST + ". " + W + "."),
    "Topic-label/minCount": (':t a skos:Concept ; skos:notation "cs.LG" .', TOPIC + "."),
    "Topic-notation/maxCount": (TOPIC + '; skos:notation "cs.AI" .', TOPIC + "."),
    "Topic-notation/pattern": (TOPIC.replace('"cs.LG"', '"LG "') + ".", TOPIC + "."),
    "Source-sha256/minCount": (DOC.split("; k:sha256")[0] + ".", DOC + "."),
    "Source-sha256/maxCount": (DOC + '; k:sha256 "' + "b" * 64 + '" .', DOC + "."),
    "Source-sha256/pattern": (DOC.replace("a" * 64, "A" * 64) + ".", DOC + "."),
    "Source-name/minCount": (DOC.replace('k:fileName "feed.txt" ;', "") + ".", DOC + "."),
    "Source-name/maxCount": (DOC + '; k:fileName "feed2.txt" .', DOC + "."),
    "Source-captured/maxCount": (DOC + '; k:capturedOn "2024-05-02"^^x:date .', DOC + "."),
    "Source-captured/datatype": (DOC.replace('"2024-05-01"^^x:date', '"2024"^^x:gYear') + ".", DOC + "."),
    "Source-graph/minCount": (DOC.replace("k:namedGraph :g ;", "") + ".", DOC + "."),
    "Source-graph/maxCount": (DOC + "; k:namedGraph :g2 .", DOC + "."),
    "Source-graph/nodeKind": (DOC.replace("k:namedGraph :g ;", 'k:namedGraph "g" ;') + ".", DOC + "."),
    # -- parser diagnostics
    "Diagnostic-document/minCount": (_diag(DIAG.replace("k:diagnosticOf :d ;", "")), _diag(DIAG)),
    "Diagnostic-document/maxCount": (_diag(DIAG + "; k:diagnosticOf :d2 . :d2 a k:SourceDocument"), _diag(DIAG)),
    "Diagnostic-document/class": (DIAG + ".", _diag(DIAG)),
    "Diagnostic-severity/minCount": (_diag(DIAG.replace('k:diagnosticSeverity "error" ;', "")), _diag(DIAG)),
    "Diagnostic-severity/maxCount": (_diag(DIAG + '; k:diagnosticSeverity "info"'), _diag(DIAG)),
    "Diagnostic-severity/in": (_diag(DIAG.replace('"error"', '"fatal"')), _diag(DIAG.replace('"error"', '"info"'))),
    "Diagnostic-message/minCount": (_diag(DIAG.replace('k:diagnosticMessage "m" ;', "")), _diag(DIAG)),
    "Diagnostic-message/datatype": (_diag(DIAG.replace('"m"', '"m"@en')), _diag(DIAG)),
    "Diagnostic-line/maxCount": (_diag(DIAG + "; k:sourceLine 4"), _diag(DIAG)),
    "Diagnostic-line/datatype": (_diag(DIAG.replace("k:sourceLine 3", 'k:sourceLine "3"')), _diag(DIAG)),
    "Diagnostic-line/minInclusive": (_diag(DIAG.replace("k:sourceLine 3", "k:sourceLine 0")), _diag(DIAG)),
}
