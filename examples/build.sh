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
# the example recording is synthetic (espeak-ng), so it may live in corpus/; a real
# study keeps recordings private (the default)
printf '\n[media]\nrecordings = "corpus"\n' >> raakvlak.toml

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

# the workshop's models as pictures (rendered for raakvlak, see examples/make_media.py),
# metadata stripped at import, linked to the stories and the reflection about them
picture() {  # FILE TITLE MODEL BUILDER_ROLE
  $raakvlak import "$raw/media/$1.jpg" --id "$1" --date 2026-03-04 --title "$2" \
    --var workshop=lsp-gemeente-x --var site=gemeente --var model="$3" --var builder_role="$4" >/dev/null
  $raakvlak media link "$1" workshop-verhalen --relation verhaal >/dev/null
  $raakvlak media link "$1" workshop-reflectie --relation reflectie >/dev/null
}
picture model-eilanden-brug "Twee eilanden, een halve brug" eilanden-brug "docent VSO"
picture model-vergadertafel "Een tafel voor negentig aanbieders" vergadertafel zorgcoördinator
picture model-kasteel "Het kasteel met de gracht" kasteel jeugdhulpverlener
picture model-kruispunt "De verkeersagent op het kruispunt" kruispunt leerplichtambtenaar

# the start of session 1 read aloud (espeak-ng), with a sync point at every turn it holds
$raakvlak media attach als-a-sessie-1 "$raw/media/als-a-sessie-1-begin.wav" >/dev/null
tail -n +2 "$raw/media/als-a-sessie-1-begin.sync.csv" | while IFS=, read -r position time_ms; do
  $raakvlak media sync als-a-sessie-1 "$position" "$time_ms" >/dev/null
done
