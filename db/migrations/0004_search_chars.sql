-- Single-character index for 1-2 character searches (see nibi_desk/storage/chars.py). Contentless: it only says
-- which rows match; nibi_chars() is registered by the program on its writing connections.
CREATE VIRTUAL TABLE assets_chars USING fts5(t, content='', tokenize='unicode61 remove_diacritics 0');
INSERT INTO assets_chars (rowid, t) SELECT seq, nibi_chars(name, code, address) FROM assets;
CREATE TRIGGER assets_chars_ai AFTER INSERT ON assets BEGIN
    INSERT INTO assets_chars (rowid, t) VALUES (new.seq, nibi_chars(new.name, new.code, new.address));
END;
CREATE TRIGGER assets_chars_ad AFTER DELETE ON assets BEGIN
    INSERT INTO assets_chars (assets_chars, rowid, t)
        VALUES ('delete', old.seq, nibi_chars(old.name, old.code, old.address));
END;
CREATE TRIGGER assets_chars_au AFTER UPDATE OF name, code, address ON assets BEGIN
    INSERT INTO assets_chars (assets_chars, rowid, t)
        VALUES ('delete', old.seq, nibi_chars(old.name, old.code, old.address));
    INSERT INTO assets_chars (rowid, t) VALUES (new.seq, nibi_chars(new.name, new.code, new.address));
END;
