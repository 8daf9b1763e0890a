{# Structural check of the extract folder, run before anything is built.
   The source contract makes a missing file or a missing required column a
   hard error that names both; a bad value inside a row never is. The list
   of files and columns is read from the sources' YAML, so the check and the
   models can never disagree about what the contract requires. #}
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
    {% for source in graph.sources.values() | sort(attribute='unique_id') %}
        {% set template = source.source_meta.get('files') or source.meta.get('files') %}
        {% if template %}
            {% set required = source.columns.keys() | list %}
            {% for path in template.replace('$identifier', source.identifier).split(',') %}
                {{ _assert_contract_file(path, required) }}
            {% endfor %}
        {% endif %}
    {% endfor %}
    {{ return('') }}
{% endmacro %}

{% macro _assert_contract_file(path, required) %}
    {% set found = run_query("select count(*) from glob('" ~ path ~ "')") %}
    {% if found.columns[0].values()[0] == 0 %}
        {{ exceptions.raise_compiler_error(
            "Source contract: missing file " ~ path
            ~ ". Every extract folder must hold this file (see the source contract); "
            ~ "check the folder passed as raw_path.") }}
    {% endif %}
    {% if path.endswith('.json') %}
        {% set header = run_query("describe select * from read_json('" ~ path ~ "')") %}
    {% else %}
        {% set header = run_query(
            "describe select * from read_csv('" ~ path ~ "', header = true, all_varchar = true, "
            ~ "delim = ',', quote = '\"', escape = '\"', sample_size = 1)") %}
    {% endif %}
    {% set present = header.columns[0].values() | map('lower') | list %}
    {% for column in required %}
        {% if column | lower not in present %}
            {{ exceptions.raise_compiler_error(
                "Source contract: file " ~ path ~ " has no column '" ~ column
                ~ "'. Columns found: " ~ (present | join(', '))
                ~ ". Fix the extract (the column may be empty, but it must be there).") }}
        {% endif %}
    {% endfor %}
{% endmacro %}
