-- Single-character index for 1-2 character searches (see nibi_desk/storage/chars.py). Contentless: it only says
-- which rows match; nibi_chars() is registered by the program on its writing connections. One column per field so
-- that a two-character phrase never matches across the end of one field and the start of the next.
CREATE VIRTUAL TABLE assets_chars USING fts5(name, code, address, content='', tokenize='unicode61 remove_diacritics 0');
INSERT INTO assets_chars (rowid, name, code, address)
    SELECT seq, nibi_chars(name), nibi_chars(code), nibi_chars(address) FROM assets;
CREATE TRIGGER assets_chars_ai AFTER INSERT ON assets BEGIN
    INSERT INTO assets_chars (rowid, name, code, address)
        VALUES (new.seq, nibi_chars(new.name), nibi_chars(new.code), nibi_chars(new.address));
END;
CREATE TRIGGER assets_chars_ad AFTER DELETE ON assets BEGIN
    INSERT INTO assets_chars (assets_chars, rowid, name, code, address)
        VALUES ('delete', old.seq, nibi_chars(old.name), nibi_chars(old.code), nibi_chars(old.address));
END;
CREATE TRIGGER assets_chars_au AFTER UPDATE OF name, code, address ON assets BEGIN
    INSERT INTO assets_chars (assets_chars, rowid, name, code, address)
        VALUES ('delete', old.seq, nibi_chars(old.name), nibi_chars(old.code), nibi_chars(old.address));
    INSERT INTO assets_chars (rowid, name, code, address)
        VALUES (new.seq, nibi_chars(new.name), nibi_chars(new.code), nibi_chars(new.address));
END;
