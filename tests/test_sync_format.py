"""The bundle contract: schemas in docs/bundle match the registry's tables, the compiled record check agrees with
jsonschema, foreign keys are declared, device keys and cards."""

from __future__ import annotations

import os
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nibi_desk.storage.registry import Registry
from nibi_desk.sync import format as fmt
from nibi_desk.sync import keys


@pytest.fixture
def registry(tmp_path):
    r = Registry.create(tmp_path / "r.nibi", "420682")
    yield r
    r.close()


def test_record_schemas_cover_exactly_the_exported_columns(registry):
    conn = registry.read()
    for table in fmt.TABLES:
        props = fmt.schema(table)["properties"]["values"]["properties"]
        assert list(props) == fmt.exported_fields(conn, table), table
        assert "seq" not in props and "password_hash" not in props
    fmt.validator("manifest").check_schema(fmt.schema("manifest"))


def test_foreign_keys_are_declared(registry):
    conn = registry.read()
    for table in fmt.TABLES:
        declared = {(r[3], r[2]) for r in conn.execute(f"PRAGMA foreign_key_list({table})")}
        assert declared == set(fmt.FOREIGN_KEYS[table].items()), table


record = st.fixed_dictionaries({
    "id": st.sampled_from(["01890a5d-ac96-774b-bcce-b302099a8057", "not-a-uuid", 5]),
    "created_hlc": st.sampled_from(["1700000000000-00000-abc", "1700000000000-0-abc", None]),
    "field_hlc": st.one_of(st.just({}), st.dictionaries(st.sampled_from(["name", "bogus"]),
                                                        st.sampled_from(["1700000000000-00001-abc", "x"]))),
    "values": st.fixed_dictionaries({
        "type": st.sampled_from(["camera", None]), "code": st.one_of(st.none(), st.text(max_size=5)),
        "name": st.one_of(st.text(max_size=5), st.integers()), "division": st.none(), "address": st.none(),
        "lon": st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False), st.booleans()),
        "lat": st.none(), "alt": st.none(), "grid_code": st.none(),
        "status": st.sampled_from(["in_service", "gone"]), "owner": st.none(), "operator": st.none(),
        "notes": st.none(), "attrs": st.sampled_from(["{}", 3]), "deleted": st.sampled_from([0, 1, 2, True]),
    }),
})


@settings(max_examples=300, deadline=None)
@given(record)
def test_compiled_check_agrees_with_jsonschema(rec):
    assert fmt.fast_check("assets")(rec) == (fmt.first_error("assets", rec) is None)


def test_key_is_private_and_card_round_trips(registry, tmp_path):
    key = keys.DeviceKey.for_registry(registry)
    path = keys.key_dir() / f"{registry.device}.ed25519"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 or os.name != "posix"
    assert keys.DeviceKey.for_registry(registry).public_key == key.public_key
    card = keys.card_for(registry, "张三的笔记本", "inspector")
    assert keys.parse_card(card.qr_text()) == card
    assert keys.read_card(card.save(tmp_path / "c.nibikey")) == card
    assert len(card.fingerprint.split()) == 4
    signature = key.sign(b"manifest")
    assert keys.verify(key.public_key, b"manifest", signature)
    assert not keys.verify(key.public_key, b"manifesto", signature)
    with pytest.raises(Exception, match="设备卡格式错误"):
        keys.parse_card("NIBIKEY1:x")
