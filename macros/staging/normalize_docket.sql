{# Canonical docket number (source contract): 2-digit year, 2-digit court
   code, CR, then the sequence zero-padded to 5 digits for the Superior Court
   (court codes 72 to 85) and to 6 digits for every other court. Extracts
   also carry separators, lower case, unpadded sequences and stray spaces.
   A value that cannot be brought to that form is null (an invalid docket).
   One regexp_extract splits the compacted text; the rest reads its parts. #}
{% macro normalize_docket(column) -%}
    {%- set parts = "regexp_extract(regexp_replace(upper(" ~ column ~ "), '[^0-9A-Z]', '', 'g'), "
        ~ "'^([0-9]{4})CR0*([0-9]{1,7})$', ['prefix', 'sequence'])" -%}
    {%- set width = "case when substr(" ~ parts ~ ".prefix, 3, 2)::integer between 72 and 85 then 5 else 6 end" -%}
    case
        when {{ parts }}.prefix <> '' and length({{ parts }}.sequence) <= {{ width }}
            then {{ parts }}.prefix || 'CR' || lpad({{ parts }}.sequence, {{ width }}, '0')
    end
{%- endmacro %}
