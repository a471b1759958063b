# Grades of the real-data judged set (index/eval/real/queries.json), written for ratsuche.
#
# Each query has an information need, written down as two regular expressions chosen by hand
# after reading the documents: one for the title, one for the text. Grades: 3 when the title
# is about it, 1 when the text mentions it at least three times, 0 otherwise. The rules were
# written before ratsuche was run on these queries and are not tuned to its output.
# Run from a folder holding docs.json (the 308 Leipzig records and 280 Karlsruhe papers of
# ../shared/corpus as id/title/text, built as in index/src/judged.rs).
import json,re,sys
docs=json.load(open('docs.json'))
# query: (category, query, title regex, text regex)
Q=[
 ("compounds","Schule", r"schul(e|en)\b|grundschul|gemeinschaftsschul|schulbibliothek|schulhof|schulkind|schulgeb|schul(e|en)\s|\w+schule", None),
 ("compounds","Radweg", r"radweg|radwege|fuß- ?und radweg|radroute", r"radweg"),
 ("compounds","Spielplatz", r"spielpl[aä]tz", r"spielpl[aä]tz"),
 ("compounds","Feuerwehr", r"feuerwehr", r"feuerwehr"),
 ("compounds","Klimaschutz", r"klimaschutz", r"klimaschutz"),
 ("compounds","Wohnungsbau", r"wohnungsbau", r"wohnungsbau"),
 ("compounds","Friedhof", r"friedh[oö]f", r"friedh[oö]f"),
 ("inflection","Bäume", r"\bb[aä]um(e|en|es)?\b|baumpat|bäume", r"\bb[aä]um(e|en|es)?\b"),
 ("inflection","Sporthallen", r"sporthalle|turnhalle", r"sporthalle"),
 ("inflection","Ampeln", r"ampel", r"ampel"),
 ("inflection","Gebühr", r"geb[uü]hr", r"geb[uü]hr"),
 ("abbreviations","ÖPNV", r"öpnv|nahverkehr|bus|straßenbahn|haltestelle", r"öpnv|nahverkehr"),
 ("abbreviations","Kita", r"\bkita|kindertages|kindergart|kifaz", r"\bkitas?\b|kindertagesst"),
 ("abbreviations","B-Plan", r"bebauungsplan|b-plan", r"bebauungsplan"),
 ("abbreviations","PV", r"photovoltaik|solar|pv-anlage", r"photovoltaik|pv-anlage|solaranlage"),
 ("synonyms","Fahrrad", r"fahrrad|radverkehr|radweg|radroute|\brad\b", r"fahrrad|radverkehr"),
 ("synonyms","Kindertagesstätte", r"\bkita|kindertages|kindergart|kifaz", r"\bkitas?\b|kindertagesst"),
 ("synonyms","Nahverkehr", r"öpnv|nahverkehr", r"öpnv|nahverkehr"),
 ("hyphens","Trimm-Dich-Pfad", r"trimm-dich", r"trimm-dich"),
 ("hyphens","IT-Sicherheit", r"it-sicherheit|informationssicherheit", r"it-sicherheit"),
 ("hyphens","Fuß- und Radweg", r"fuß- ?und radweg|fußweg|radweg|gehweg", None),
 ("gender","Bürger*innen", r"bürger\*?:?innen|bürgerinnen|bürger\b", r"bürger\*innen|bürgerinnen|bürger:innen"),
 ("gender","Ortsvorsteherin", r"ortsvorsteher", r"ortsvorsteher"),
 ("gender","Einwohnerinnen", r"einwohner", r"einwohnerinnen|einwohner\*innen"),
 ("typos","Sporthale", r"sporthalle|turnhalle", r"sporthalle"),
 ("typos","Feuerwher", r"feuerwehr", r"feuerwehr"),
 ("typos","Bebaungsplan", r"bebauungsplan|b-plan", r"bebauungsplan"),
 ("typos","Spielplaz", r"spielpl[aä]tz", r"spielpl[aä]tz"),
 ("precision","Pfinz", r"\bpfinz\b|pfinzufer", r"\bpfinz\b"),
 ("precision","Drohnen", r"drohne", r"drohne"),
 ("precision","Autismus", r"autismus", r"autismus"),
 ("precision","Bergfriedhof", r"bergfriedhof", r"bergfriedhof"),
]
out=[]
for cat,q,tre,xre in Q:
    grades={}
    for d in docs:
        t=d['title'].lower(); x=d['text'].lower()
        g=0
        if re.search(tre,t): g=3
        elif xre:
            n=len(re.findall(xre,x))
            g=1 if n>=3 else 0
        if g: grades[d['id']]=g
    out.append({'category':cat,'query':q,'grades':grades})
    print(cat,q,len(grades),sorted(grades.values()).count(3), [ (i, next(d['title'][:50] for d in docs if d['id']==i)) for i,g in grades.items() if g==3][:4])
json.dump(out,open('queries.json','w'),ensure_ascii=False,indent=0)
