"""Fill unfinished messages of nibi_zh_CN.ts from a JSON object {"Context|source": "translation"} on stdin.

Usage: python resources/translations/fill_ts.py < new.json   (run update_ts.py first to collect new strings;
`--list` prints the unfinished ones as such a JSON object with empty values, ready to fill).
"""

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

TS = Path(__file__).with_name("nibi_zh_CN.ts")


def unfinished(root):
    for ctx in root.iter("context"):
        name = ctx.find("name").text
        for message in ctx.iter("message"):
            translation = message.find("translation")
            if translation.get("type") == "unfinished":
                yield f"{name}|{message.find('source').text}", translation


def main() -> None:
    tree = ET.parse(TS)
    if "--list" in sys.argv:
        json.dump({key: "" for key, _ in unfinished(tree.getroot())}, sys.stdout, ensure_ascii=False, indent=1)
        return
    given = json.load(sys.stdin)
    filled = 0
    for key, translation in unfinished(tree.getroot()):
        if given.get(key):
            translation.text = given[key]
            del translation.attrib["type"]
            filled += 1
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    print(f"filled {filled}, still unfinished {sum(1 for _ in unfinished(tree.getroot()))}")


if __name__ == "__main__":
    main()
