#!/usr/bin/env bash
# Builds the example project's corpus from the fictional raw files in examples/raw/,
# with nothing but `raakvlak` commands, into a new project folder:
#   examples/build.sh TARGET
# The repository's own corpus/ was made this way; a test rebuilds it and compares.
# (In a real study the raw files and the key would live in private/, outside git.)
set -euo pipefail
raw="$(cd "$(dirname "$0")/raw" && pwd)"
target="$1"
raakvlak="${RAAKVLAK:-raakvlak}"

$raakvlak init "$target" --name "Samenwerking onderwijs en jeugdhulp (fictief voorbeeld)" --coders anna,bram
cp "$raw/pseudonyms.csv" "$target/private/pseudonyms.csv"
cd "$target"

session() {  # session FILE ID DATE GROUP NUMBER SITE
  $raakvlak import "$raw/$1" --id "$2" --kind transcript --date "$3" \
    --title "Actieleersessie $5, groep $4" \
    --var setting=actieleren --var group="$4" --var session="$5" --var site="$6" \
    --var consent=ja --var age_band=volwassenen
}
session als-a-sessie-1.txt als-a-sessie-1 2026-03-12 A 1 PO
session als-a-sessie-2.txt als-a-sessie-2 2026-04-02 A 2 PO
session als-b-sessie-3.txt als-b-sessie-3 2026-04-09 B 3 VO
session als-b-sessie-4.txt als-b-sessie-4 2026-05-21 B 4 VSO

$raakvlak import "$raw/online-overleg.vtt" --id online-overleg --kind transcript --date 2026-04-23 \
  --title "Online casusoverleg (WebVTT-export)" \
  --var setting=online-overleg --var group=- --var session=- --var site=wijk \
  --var consent=ja --var age_band=volwassenen
$raakvlak import "$raw/workshop-lego-verhalen.md" --id workshop-verhalen --kind notes --date 2026-03-04 \
  --title "Workshop LEGO Serious Play: verhalen bij de modellen" \
  --var setting=workshop --var group=- --var session=- --var site=gemeente \
  --var consent="ja (ouders bij jonger dan 16)" --var age_band="12-17 en volwassenen"
$raakvlak import "$raw/workshop-reflectie.txt" --id workshop-reflectie --kind notes --date 2026-03-04 \
  --title "Workshop LEGO Serious Play: reflectie, belemmeringen en richtingen" \
  --var setting=workshop --var group=- --var session=- --var site=gemeente \
  --var consent="ja (ouders bij jonger dan 16)" --var age_band="12-17 en volwassenen"
$raakvlak import "$raw/enquete-samenwerking.csv" --id enquete --kind survey --date 2026-06-15 \
  --var setting=enquete --var group=- --var session=- --var site=gemeente \
  --var consent=ja --var age_band=volwassenen

# the roles a researcher fills in once: a pseudonym is one person, so it holds in every document
$raakvlak speakers \
  --set "Docent 1=leerkracht" --set "IB'er 1=intern begeleider" --set "Hulpverlener 1=jeugdhulpverlener" \
  --set "Wijkteam 1=wijkteammedewerker" --set "Gemeente 1=beleidsmedewerker gemeente" \
  --set "Facilitator 1=facilitator" --set "Mentor 1=mentor" --set "Zorgcoördinator 1=zorgcoördinator" \
  --set "Docent 2=docent VSO" --set "Hulpverlener 2=jeugdhulpverlener" \
  --set "Hulpverlener 3=ambulant hulpverlener" --set "Gemeente 2=leerplichtambtenaar" \
  --set "Jeugdarts 1=jeugdarts" >/dev/null
