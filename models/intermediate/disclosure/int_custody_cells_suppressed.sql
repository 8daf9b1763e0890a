{# Disclosure control (R9) of custody_population and custody_offenses as one
   problem. For each offender status, the all-offenses cells of
   custody_offenses hold the same people as the custody_population cells
   with gender identity All: they are one cell published twice. Were the
   two tables withheld separately, such a cell could be withheld in one and
   published in the other, and the published copy would then give away
   what the withholding protects (for instance a part equal to its total).
   So a shared cell gets one id, the relations of both tables are put
   together with the one they make between them (a custody_population cell
   of both statuses is the sum of the Pretrial and Sentenced all-offenses
   cells of custody_offenses, which custody_population itself does not
   hold once three other breakdowns are set), and primary and
   complementary suppression run once over them.
   One row per cell of either table (table_name says which), with
   is_withheld and suppression ('primary', 'complementary' or null). #}
{%- set population_dimensions = ['snapshot_date', 'agency', 'offender_status', 'age_group', 'assigned_sex',
    'gender_identity', 'race', 'ethnicity'] -%}
{%- set offense_dimensions = ['snapshot_date', 'agency', 'offender_status', 'offense_type', 'offense_subtype',
    'offense_severity', 'age_group', 'assigned_sex', 'race', 'ethnicity'] -%}
{%- set shared = custody_shared_cells() -%}
with

population_aggregated as (
    select * from {{ ref('int_population_cells_aggregated') }}
),

offense_aggregated as (
    select * from {{ ref('int_offense_cells_aggregated') }}
),

{# a shared cell gets the same text key (and so the same id) in both tables;
   the key also breaks ties between equal counts, so runs are reproducible #}
population_keyed as (
    select
        *,
        {{ shared.in_population }} as is_shared,
        case
            when {{ shared.in_population }} then concat_ws('|', 'custody', {{ shared.key | join(', ') }})
            else concat_ws('|', 'custody_population', {{ population_dimensions | join(', ') }})
        end as cell_order
    from population_aggregated
),

offense_keyed as (
    select
        *,
        {{ shared.in_offenses }} as is_shared,
        case
            when {{ shared.in_offenses }} then concat_ws('|', 'custody', {{ shared.key | join(', ') }})
            else concat_ws('|', 'custody_offenses', {{ offense_dimensions | join(', ') }})
        end as cell_order
    from offense_aggregated
),

population_cells as (
    select
        *,
        hash(cell_order) as cell_id
    from population_keyed
),

offense_cells as (
    select
        *,
        hash(cell_order) as cell_id
    from offense_keyed
),

population_relations as materialized (
    {{ disclosure_relation_members('population_cells', population_dimensions, fixed=['snapshot_date'])
        | indent(4) }}
),

offense_relations as materialized (
    {{ disclosure_relation_members('offense_cells', offense_dimensions,
        hierarchies=[['offense_type', 'offense_subtype']], fixed=['snapshot_date', 'offender_status'])
        | indent(4) }}
),

status_memberships as (
    select
        hash('custody_status', {{ shared.status_key | join(', ') }}) as relation_key,
        cell_id,
        true as is_total
    from population_cells
    where {{ shared.status_total }}
    union all
    select
        hash('custody_status', {{ shared.status_key | join(', ') }}) as relation_key,
        cell_id,
        false as is_total
    from offense_cells
    where is_shared
),

complete_status_relations as (
    select relation_key
    from status_memberships
    group by relation_key
    having count(*) filter (where is_total) = 1 and count(*) filter (where not is_total) >= 1
),

status_relations as (
    select
        status_memberships.relation_key,
        status_memberships.cell_id,
        status_memberships.is_total
    from status_memberships
    inner join complete_status_relations
        on status_memberships.relation_key = complete_status_relations.relation_key
),

relation_members as (
    select
        hash('custody_population', relation_key) as relation_key,
        cell_id,
        is_total
    from population_relations
    union all
    select
        hash('custody_offenses', relation_key) as relation_key,
        cell_id,
        is_total
    from offense_relations
    union all
    select
        relation_key,
        cell_id,
        is_total
    from status_relations
),

{# a shared cell appears once; its count is the same in both tables
   (tests/data/assert_custody_tables_withheld_jointly.sql) #}
cells as (
    select
        cell_id,
        any_value(cell_order) as cell_order,
        min(record_count) as record_count
    from (
        select
            cell_id,
            cell_order,
            record_count
        from population_cells
        union all
        select
            cell_id,
            cell_order,
            record_count
        from offense_cells
    ) as both_tables
    group by cell_id
),

{{ suppression_passes('people', 'record_count', 'record_count between 1 and 4', members='relation_members') }},

population_controlled as (
    select
        'custody_population' as table_name,
        population_cells.* exclude (is_shared, cell_id, cell_order),
        people_withheld.is_withheld
    from population_cells
    inner join people_withheld on population_cells.cell_id = people_withheld.cell_id
),

offense_controlled as (
    select
        'custody_offenses' as table_name,
        offense_cells.* exclude (is_shared, cell_id, cell_order),
        people_withheld.is_withheld
    from offense_cells
    inner join people_withheld on offense_cells.cell_id = people_withheld.cell_id
),

both_controlled as (
    select * from population_controlled
    union all by name
    select * from offense_controlled
),

final as (
    select
        *,
        case
            when record_count between 1 and 4 then 'primary'
            when is_withheld then 'complementary'
        end as suppression
    from both_controlled
)

select * from final
