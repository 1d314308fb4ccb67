-- The search fallback: every listing's search document as the indexer last wrote it to
-- Meilisearch, with typed copies of the fields filters, sorts and facets read, so
-- PostgreSQL can answer a search with the same meaning when Meilisearch cannot.

-- +goose Up
-- levenshtein_less_equal, to rule out most words before belong_typos counts exactly
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

-- unaccent() is only STABLE because its dictionary could change; the product never
-- changes it, and index expressions and text-search vectors need an IMMUTABLE form.
-- The SQL-standard body binds the dictionary when the function is created, so it
-- does not depend on search_path.
-- +goose StatementBegin
CREATE FUNCTION belong_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN unaccent('unaccent'::regdictionary, $1);
-- +goose StatementEnd

-- belong_typos counts the typos between a query word and a word of a text as
-- Meilisearch does: Damerau-Levenshtein (optimal string alignment), so swapping two
-- neighbouring letters is one typo, and a typo on the first letter counts twice.
-- Anything over 2 is reported as 3, as soon as it is certain: no word may have more.
-- +goose StatementBegin
CREATE FUNCTION belong_typos(query_word text, word text) RETURNS integer
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    la integer := length(query_word);
    lb integer := length(word);
    a text[];
    b text[];
    before integer[];
    prev integer[];
    cur integer[];
    best integer;
BEGIN
    IF query_word = word THEN
        RETURN 0;
    END IF;
    IF la = 0 OR lb = 0 OR abs(la - lb) > 2 THEN
        RETURN 3;
    END IF;
    a := string_to_array(query_word, NULL);
    b := string_to_array(word, NULL);
    prev := array(SELECT generate_series(0, lb));
    FOR i IN 1..la LOOP
        cur := array_fill(i, array[lb + 1]);
        best := i;
        FOR j IN 1..lb LOOP
            -- arrays are 1-based: column j of a row is element j + 1
            cur[j + 1] := least(prev[j + 1] + 1, cur[j] + 1, prev[j] + (a[i] <> b[j])::integer);
            IF i > 1 AND j > 1 AND a[i] = b[j - 1] AND a[i - 1] = b[j] THEN
                cur[j + 1] := least(cur[j + 1], before[j - 1] + 1);
            END IF;
            best := least(best, cur[j + 1]);
        END LOOP;
        IF best > 2 THEN
            RETURN 3;
        END IF;
        before := prev;
        prev := cur;
    END LOOP;
    RETURN least(3, prev[lb + 1] + (a[1] <> b[1])::integer);
END;
$$;
-- +goose StatementEnd

-- belong_field_tsv is a field's English and Spanish stems, unaccented, with a weight.
-- Each copy starts three positions on ("a" is a stop word in both languages), so
-- when fields are concatenated a quoted phrase cannot run from one into the next.
-- +goose StatementBegin
CREATE FUNCTION belong_field_tsv(field text, weight "char") RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN setweight(to_tsvector('english'::regconfig, 'a a a ' || belong_unaccent(field)), weight)
        || setweight(to_tsvector('spanish'::regconfig, 'a a a ' || belong_unaccent(field)), weight);
-- +goose StatementEnd

CREATE TABLE search_documents (
    listing_id    uuid PRIMARY KEY REFERENCES listings (id) ON DELETE CASCADE,
    -- the whole search.Document, handed back to search as it is
    doc           jsonb NOT NULL,
    name          text NOT NULL,
    -- search.Document's sort_key, which Meilisearch also sorts by: ties and
    -- searches without text come in the same order from both engines
    sort_key      text COLLATE "C" NOT NULL,
    -- the words of the name, lower-cased and unaccented, for matching with typos
    name_words    text[] NOT NULL,
    tags_yes      text[] NOT NULL,
    tags_offered  text[] NOT NULL,
    languages     text[] NOT NULL,
    modes         text[] NOT NULL,
    days          text[] NOT NULL,
    times         text[] NOT NULL,
    slots         text[] NOT NULL,
    city          text NOT NULL,
    online_only   boolean NOT NULL,
    paused        boolean NOT NULL,
    confirmed_at  bigint NOT NULL,            -- unix seconds
    next_at       bigint,                     -- unix seconds; NULL when no meeting is coming
    lat           double precision CHECK (lat BETWEEN -90 AND 90),
    lng           double precision CHECK (lng BETWEEN -180 AND 180),
    updated_at    bigint NOT NULL,            -- the listing's, unix seconds
    -- English and Spanish stems of the unaccented text, weighted as Meilisearch's
    -- searchable attributes are ordered: name A, summary B, organization and tag
    -- labels C, the rest D
    tsv           tsvector NOT NULL,
    CHECK ((lat IS NULL) = (lng IS NULL))
);
-- Filters, sorts and facets read every matching row, and text search its vector:
-- keep those in the row, uncompressed (MAIN gives way only for a very long text),
-- and move the document out of it (EXTERNAL), as only a page of them is read back.
ALTER TABLE search_documents ALTER COLUMN doc SET STORAGE EXTERNAL, ALTER COLUMN tsv SET STORAGE MAIN,
    ALTER COLUMN name SET STORAGE MAIN, ALTER COLUMN sort_key SET STORAGE MAIN,
    ALTER COLUMN name_words SET STORAGE MAIN,
    ALTER COLUMN tags_yes SET STORAGE MAIN, ALTER COLUMN tags_offered SET STORAGE MAIN,
    ALTER COLUMN languages SET STORAGE MAIN, ALTER COLUMN modes SET STORAGE MAIN,
    ALTER COLUMN days SET STORAGE MAIN, ALTER COLUMN times SET STORAGE MAIN,
    ALTER COLUMN slots SET STORAGE MAIN, ALTER COLUMN city SET STORAGE MAIN;

CREATE INDEX search_documents_tsv_idx ON search_documents USING gin (tsv);
CREATE INDEX search_documents_tags_yes_idx ON search_documents USING gin (tags_yes);
CREATE INDEX search_documents_tags_offered_idx ON search_documents USING gin (tags_offered);
CREATE INDEX search_documents_languages_idx ON search_documents USING gin (languages);
CREATE INDEX search_documents_slots_idx ON search_documents USING gin (slots);
CREATE INDEX search_documents_name_words_idx ON search_documents USING gin (name_words);
CREATE INDEX search_documents_next_at_idx ON search_documents (next_at);
CREATE INDEX search_documents_confirmed_at_idx ON search_documents (confirmed_at);

-- Every word of every name, so a query word's typos are looked for among words,
-- not listings. Words are never removed: a left-over word only finds nothing.
CREATE TABLE search_words (
    word  text PRIMARY KEY
);
CREATE INDEX search_words_shape_idx ON search_words (left(word, 1), length(word));

-- +goose Down
DROP TABLE search_words, search_documents;
DROP FUNCTION belong_field_tsv(text, "char");
DROP FUNCTION belong_typos(text, text);
DROP FUNCTION belong_unaccent(text);
