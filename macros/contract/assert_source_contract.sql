{# Structural check of the extract folder, run before anything is built
   (on-run-start, so every dbt command goes through it).
   The source contract makes a missing file or a missing required column a
   hard error that names both; a bad value inside a row never is. The list
   of files and columns is read from the sources' YAML, so the check and the
   models can never disagree about what the contract requires.
   Besides its columns, each CSV file must have a header row (an empty file
   has none), in UTF-8, comma-separated, naming each column once (letter case
   does not matter). Each file is then parsed once in full: a row whose number
   of fields differs from the header's is a row-level problem, recorded in
   contract_check.rows_malformed and quarantined (stg_extract__rows_malformed);
   any other parse error (a byte that is not UTF-8, a stray or unterminated
   quote, a row over DuckDB's line size limit) stops the build, naming the
   file, the row and what to do. contract_check.files_read keeps how many rows
   each file held, for the reconciliation test. Queries are batched: each
   run_query costs dbt some milliseconds, and there are 58 files. #}
{% macro assert_source_contract() %}
    {% if not execute %}{{ return('') }}{% endif %}
    {% set raw_path = var('raw_path') %}
    {% set exists = run_query("select count(*) from glob('" ~ raw_path ~ "/*')") %}
    {% if exists.columns[0].values()[0] == 0 %}
        {{ exceptions.raise_compiler_error(
            "The extract folder '" ~ raw_path ~ "' does not exist or is empty. "
            ~ "Point the raw_path variable at a folder laid out as in the source contract, "
            ~ "e.g. dbt build --vars '{raw_path: /path/to/extract}', or run `make extracts`.") }}
    {% endif %}
    {% set files = [] %}
    {% for source in graph.sources.values() | sort(attribute='unique_id') %}
        {% set template = source.source_meta.get('files') or source.meta.get('files') %}
        {% if template %}
            {% for path in template.replace('$identifier', source.identifier).split(',') %}
                {% do files.append({'path': path, 'required': source.columns.keys() | list}) %}
            {% endfor %}
        {% endif %}
    {% endfor %}
    {% set present = run_query("select file from glob('" ~ raw_path ~ "/**')").columns[0].values() %}
    {% for file in files %}
        {# the folder listing answers for most files in one query; a path it
           spells differently is looked up on its own #}
        {% if file.path not in present
            and run_query("select count(*) from glob('" ~ file.path ~ "')").columns[0].values()[0] == 0 %}
            {{ exceptions.raise_compiler_error(
                "Source contract: missing file " ~ file.path
                ~ ". Every extract folder must hold this file (see the source contract); "
                ~ "check the folder passed as raw_path.") }}
        {% endif %}
    {% endfor %}
    {% set csv_files = [] %}
    {% for file in files if file.path.endswith('.csv') %}{% do csv_files.append(file) %}{% endfor %}
    {% set headers = _contract_headers(csv_files | map(attribute='path') | list) %}
    {% for file in files %}
        {% if file.path.endswith('.json') %}
            {% set header = run_query("describe select * from read_json('" ~ file.path ~ "')") %}
            {% set names = header.columns[0].values() | map('lower') | list %}
        {% else %}
            {% set names = _assert_contract_header(file.path, file.required, headers[file.path]) %}
        {% endif %}
        {% for column in file.required %}
            {% if column | lower not in names %}
                {{ exceptions.raise_compiler_error(
                    "Source contract: file " ~ file.path ~ " has no column '" ~ column
                    ~ "' in its header (line 1). Columns found: " ~ (names | join(', '))
                    ~ ". Fix the extract (the column may be empty, but it must be there).") }}
            {% endif %}
        {% endfor %}
    {% endfor %}
    {{ _read_contract_rows(raw_path, csv_files | map(attribute='path') | list, headers) }}
    {{ return('') }}
{% endmacro %}

{# The options every CSV of the contract is read with (the sources use the
   same ones, plus ignore_errors for the rows recorded here as malformed). #}
{% macro contract_csv_options() -%}
header = true, all_varchar = true, delim = ',', quote = '"', escape = '"'
{%- endmacro %}

{# read_csv options that take the place of sniffing: `count` text columns
   (their names do not matter to the check; a row with another number of
   fields is recorded as malformed). #}
{% macro _unsniffed_columns(count) -%}
auto_detect = false, columns = { {%- for position in range(count) -%}
'field_{{ position + 1 }}': 'varchar'{{ ', ' if not loop.last }}
{%- endfor -%} }
{%- endmacro %}

{# Size and header line of every CSV, in one query. Line 1 is read as one
   piece of text (a delimiter no header holds, no quoting) and split into
   its fields here: CSV parsing would send DuckDB's sniffer over the next
   rows, and a broken one among them would stop the check before it can
   name the row. The header is read as Latin-1, where every byte is one
   character, so that a byte that is not UTF-8 can be named instead of
   making the read fail; a UTF-8 byte-order mark is dropped.
   Returns {path: {size, names, is_not_utf8, field_count}}. #}
{% macro _contract_headers(paths) %}
    {# one field of a CSV line, after the comma that opens it (the line gets
       one in front): quoted, with a doubled quote inside, or not #}
    {% set csv_field = ',("(?:[^"]|"")*"|[^,]*)' %}
    {% set byte_order_mark = '^\\x{EF}\\x{BB}\\x{BF}' %}
    {% set utf8_sequence = "[\\x{C2}-\\x{DF}][\\x{80}-\\x{BF}]|[\\x{E0}-\\x{EF}][\\x{80}-\\x{BF}]{2}"
        ~ "|[\\x{F0}-\\x{F4}][\\x{80}-\\x{BF}]{3}" %}
    {% set sizes = run_query("select filename, size from read_blob(['" ~ (paths | join("', '")) ~ "'])") %}
    {% set found = {} %}
    {% for row in sizes.rows %}
        {% do found.update({row[0]: {'size': row[1], 'names': [], 'is_not_utf8': false, 'field_count': 0}}) %}
    {% endfor %}
    {% set readable = paths | select('in', found) | list %}
    {% set queries = [] %}
    {% for path in readable if found[path]['size'] > 0 %}
        {% do queries.append(
            "select '" ~ path ~ "' as path, regexp_extract_all(',' || regexp_replace(line, '"
            ~ byte_order_mark ~ "', ''), '" ~ csv_field ~ "', 1) as tokens "
            ~ "from read_csv('" ~ path ~ "', header = false, auto_detect = false, columns = {'line': 'varchar'}, "
            ~ "delim = '\\x1e', quote = '', escape = '', encoding = 'latin-1', "
            ~ "strict_mode = false, ignore_errors = true) "
            ~ "limit 1") %}
    {% endfor %}
    {% if queries %}
        {# line 1 must come first: the profile lets DuckDB reorder rows.
           ignore_errors skips a later line over DuckDB's line size limit,
           which the full read below names by its row; a header line that
           long (over 2 MB) would be skipped too, and the next line taken
           for the header, so the check would then stop on missing columns #}
        {% set insertion_order = run_query(
            "select current_setting('preserve_insertion_order')").columns[0].values()[0] %}
        {% set header = run_query(
            "set preserve_insertion_order = true; with headers as ((" ~ (queries | join(") union all by name (")) ~ ")), "
            ~ "fields as (select path, unnest(tokens) as field, generate_subscripts(tokens, 1) as position "
            ~ "from headers), "
            ~ "tokens as (select path, position, nullif(case when field like '\"%\"' and length(field) > 1 "
            ~ "then replace(field[2:-2], '\"\"', '\"') else field end, '') as token from fields) "
            ~ "select path, chr(31) as separator, "
            ~ "coalesce(string_agg(lower(trim(token)), chr(31) "
            ~ "order by position) filter (where token is not null), '') as names, "
            ~ "coalesce(bool_or(regexp_matches(regexp_replace(token, '" ~ utf8_sequence ~ "', '', 'g'), "
            ~ "'[\\x{80}-\\x{FF}]')) filter (where token is not null), false) as is_not_utf8, "
            ~ "count(*) as field_count "
            ~ "from tokens group by path") %}
        {% do run_query("set preserve_insertion_order = " ~ insertion_order) %}
        {% for row in header.rows %}
            {% do found[row[0]].update({'names': row[2].split(row[1]) if row[2] else [], 'is_not_utf8': row[3],
                'field_count': row[4]}) %}
        {% endfor %}
    {% endif %}
    {{ return(found) }}
{% endmacro %}

{# The checks that need the header line itself; returns its column names. #}
{% macro _assert_contract_header(path, required, header) %}
    {% if header['size'] == 0 %}
        {{ exceptions.raise_compiler_error(
            "Source contract: file " ~ path ~ " is empty (0 bytes). Every file needs at least its "
            ~ "header row (line 1), even when it has no records; export the file again.") }}
    {% endif %}
    {% set names = header['names'] %}
    {% if names | length == 0 %}
        {{ exceptions.raise_compiler_error(
            "Source contract: file " ~ path ~ " has no header row: its first line is blank. "
            ~ "Line 1 must name the columns; export the file again.") }}
    {% endif %}
    {% if header['is_not_utf8'] %}
        {{ exceptions.raise_compiler_error(
            "Source contract: file " ~ path ~ " is not UTF-8: its header (line 1) holds a byte that "
            ~ "is not UTF-8. Export the file again in UTF-8 (for a Windows export, e.g. "
            ~ "`iconv -f WINDOWS-1252 -t UTF-8`).") }}
    {% endif %}
    {% if names | length == 1 and required | length > 1 %}
        {% for delimiter, label in [(';', 'semicolons'), ('\t', 'tabs'), ('|', 'vertical bars')] %}
            {% if delimiter in names[0] %}
                {{ exceptions.raise_compiler_error(
                    "Source contract: file " ~ path ~ " is not comma-separated: its header (line 1) "
                    ~ "separates the column names with " ~ label ~ ". Export the file again with commas "
                    ~ "between fields (and double quotes around a field that holds a comma).") }}
            {% endif %}
        {% endfor %}
    {% endif %}
    {% for name in names %}
        {% set positions = [] %}
        {% for other in names %}{% if other == name %}{% do positions.append(loop.index) %}{% endif %}{% endfor %}
        {% if positions | length > 1 %}
            {{ exceptions.raise_compiler_error(
                "Source contract: file " ~ path ~ " names the column '" ~ name ~ "' more than once in its "
                ~ "header (line 1, columns " ~ (positions | join(' and ')) ~ "; letter case does not count). "
                ~ "Keep one column of each name: the pipeline cannot tell which one holds the data.") }}
        {% endif %}
    {% endfor %}
    {{ return(names) }}
{% endmacro %}

{# Parse every CSV once in full, in one batch of statements, without
   DuckDB's dialect sniffing: the dialect is the contract's, and the columns
   are as many as line 1 has fields. A sniffer would read the first rows on
   its own and stop on a broken one there with its own error, which names no
   row and can print the row itself (personal data) to the log. The longest
   value of each file is computed so that every field is read (a bare count
   skips the UTF-8 check); DuckDB records the rows it cannot parse
   (store_rejects) in temporary tables of this connection, numbered by record
   with the header as record 1; a row short of several fields has one error
   per missing field, the first one is kept. #}
{% macro _read_contract_rows(raw_path, paths, headers) %}
    {% set statements = [
        "create schema if not exists contract_check",
        "create or replace table contract_check.files_read (source_file varchar, rows_parsed bigint, "
            ~ "longest_value bigint)",
        "create or replace table contract_check.rows_malformed (source_file varchar, record_number bigint, "
            ~ "byte_position bigint, error_type varchar, error_message varchar)",
    ] %}
    {% for path in paths %}
        {% set parts = path.split('/') %}
        {% set source_file = (parts[-3:] if parts[-3] == 'custody' else parts[-2:]) | join('/') %}
        {% do statements.append(
            "insert into contract_check.files_read select '" ~ source_file ~ "', rows_parsed, "
            ~ "list_max([*columns(* exclude (rows_parsed))]) from (select count(*) as rows_parsed, "
            ~ "max(length(columns(*))) from read_csv('" ~ path ~ "', " ~ contract_csv_options()
            ~ ", " ~ _unsniffed_columns(headers[path]['field_count']) ~ ", store_rejects = true))") %}
        {% do statements.append(
            "insert into contract_check.rows_malformed select '" ~ source_file ~ "', line, "
            ~ "min(byte_position), arg_min(error_type, coalesce(column_idx, 0)), "
            ~ "arg_min(error_message, coalesce(column_idx, 0)) "
            ~ "from reject_errors where scan_id = "
            ~ "(select max(scan_id) from reject_scans where file_path = '" ~ path ~ "') group by line") %}
    {% endfor %}
    {# nothing else runs during on-run-start: let DuckDB use every core it is
       allowed, then give the models back the profile's setting #}
    {% set threads = run_query("select current_setting('threads')").columns[0].values()[0] %}
    {% do run_query("reset threads; " ~ (statements | join(';\n')) ~ "; set threads = " ~ threads) %}
    {% set unreadable = run_query(
        "select source_file, record_number, byte_position, error_type, error_message "
        ~ "from contract_check.rows_malformed where error_type not in ('MISSING COLUMNS', 'TOO MANY COLUMNS') "
        ~ "order by source_file, record_number limit 1") %}
    {% if unreadable.rows | length > 0 %}
        {% set row = unreadable.rows[0] %}
        {% set advice = {
            'INVALID ENCODING': "a byte that is not UTF-8. Export the file again in UTF-8 (for a Windows "
                ~ "export, e.g. `iconv -f WINDOWS-1252 -t UTF-8`)",
            'LINE SIZE OVER MAXIMUM': "a row longer than DuckDB's line size limit. Check for a quote that "
                ~ "is never closed, or shorten the field",
            'UNQUOTED VALUE': "a double quote inside a field that is not quoted. Quote the field and double "
                ~ "the quote inside it (\"\"), as RFC 4180 does",
        } %}
        {{ exceptions.raise_compiler_error(
            "Source contract: file " ~ row[0] ~ " of " ~ raw_path ~ " cannot be read at row " ~ row[1]
            ~ " (counting the header as row 1; byte offset " ~ row[2] ~ "): "
            ~ advice.get(row[3], row[4] ~ ". Check that the file is RFC 4180 CSV (a quote that is never "
                ~ "closed does this)") ~ ".") }}
    {% endif %}
{% endmacro %}
