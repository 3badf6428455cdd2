"""Build db/reference/divisions/<county>.json from the official statistical CSV files (run by hand on a new release).

Usage: python db/reference/make_divisions.py COUNTY EXTENT_JSON COUNTY.csv VILLAGES.csv
The extent is the county's approximate bounding box used to refuse coordinates far outside it.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from nibi_desk.domain.divisions import parse_file  # noqa: E402


def main() -> None:
    county, extent, *files = sys.argv[1:]
    divisions = [d for f in files for d in parse_file(f) if d.county == county]
    order = {"county": 0, "township": 1, "village": 2}
    doc = {
        "county": county,
        "source": "统计用区划代码 2023 (National Bureau of Statistics), statistical division codes",
        "extent": json.loads(extent),
        "divisions": [
            {k: v for k, v in {"code": d.code, "level": d.level, "name": d.name, "parent": d.parent,
                               "township_type": d.township_type}.items() if v is not None}
            for d in sorted(divisions, key=lambda d: (order[d.level], d.code))
        ],
    }
    out = Path(__file__).parent / "divisions" / f"{county}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{out}: {len(doc['divisions'])} divisions")


if __name__ == "__main__":
    main()
