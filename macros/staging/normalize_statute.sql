{# Statutes come as IMS 265-13A / 266-30-A, OMS c265 s13A / c266 s30 A,
   JMS and the court 265/13A or 94C/32A/C (legacy rows 265.13A). All become
   the court's canonical CHAPTER/SECTION[/CODE] in upper case; text that has
   no chapter and section is null (quarantined by the caller). #}
{% macro normalize_statute(column) -%}
    {%- set parts = "regexp_extract(upper(trim(" ~ column ~ ")), '^C?\\s*([0-9]+[A-Z]?)\\s*[-/. ]\\s*S?\\s*([0-9]+[0-9A-Z½]*)(?:\\s*[-/. ]\\s*([0-9A-Z]+))?$', ['chapter', 'section', 'code'])" -%}
    case
        when {{ parts }}.chapter <> ''
            then {{ parts }}.chapter || '/' || {{ parts }}.section
                || case when {{ parts }}.code <> '' then '/' || {{ parts }}.code else '' end
    end
{%- endmacro %}
