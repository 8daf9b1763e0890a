{# Canonical docket number (source contract): 2-digit year, 2-digit court
   code, CR, then the sequence zero-padded to 5 digits for the Superior Court
   (court codes 72 to 85) and to 6 digits for every other court. Extracts
   also carry separators, lower case, unpadded sequences and stray spaces.
   A value that cannot be brought to that form is null (an invalid docket). #}
{% macro normalize_docket(column) -%}
    {%- set compact = "regexp_replace(upper(trim(" ~ column ~ ")), '[^0-9A-Z]', '', 'g')" -%}
    {%- set court = "cast(regexp_extract(" ~ compact ~ ", '^[0-9]{2}([0-9]{2})CR[0-9]{1,7}$', 1) as integer)" -%}
    {%- set sequence = "ltrim(regexp_extract(" ~ compact ~ ", '^[0-9]{4}CR([0-9]{1,7})$', 1), '0')" -%}
    {%- set width = "case when " ~ court ~ " between 72 and 85 then 5 else 6 end" -%}
    case
        when regexp_full_match({{ compact }}, '[0-9]{4}CR[0-9]{1,7}')
            and length({{ sequence }}) between 1 and {{ width }}
            then left({{ compact }}, 6) || lpad({{ sequence }}, {{ width }}, '0')
    end
{%- endmacro %}
