{# R8: for each release and each follow-up window of 1, 2 and 3 years that
   ends on or before the extract date, whether the person was
   re-arraigned (a charge arraigned inside the window, on a docket carrying
   the person's SID), reconvicted (such a charge for an offense after the
   release, found guilty inside the window) or reincarcerated (held as
   Sentenced or Parole Violator at any agency inside the window, in custody
   that began with a new admission, R7, after the release). The window runs
   from the day after release to the same date N years later.
   Reincarceration is dated when the new custody first has one of those
   statuses, not only when it begins with one: most people who go back to
   custody are held pretrial first and sentenced by a status change, and
   counting only admissions that arrive already sentenced would miss them
   (see docs/readings.md). #}
with

releases as (
    select * from {{ ref('int_release_cohorts_built') }}
),

events as (
    select * from {{ ref('int_custody_events_listed') }}
),

placements as (
    select * from {{ ref('int_placements_linked') }}
),

dockets as (
    select * from {{ ref('stg_court__dockets') }}
    where quarantine_reason is null and sid is not null
),

court_charges as (
    select * from {{ ref('stg_court__charges') }}
    where quarantine_reason is null
),

manifest as (
    select * from {{ ref('stg_extract__manifest') }}
),

person_charges as (
    select
        dockets.sid,
        court_charges.arraignment_date,
        court_charges.offense_date,
        court_charges.disposition_date,
        court_charges.is_conviction
    from court_charges
    inner join dockets on court_charges.docket_number = dockets.docket_number
),

first_arraignments as (
    select
        releases.sid,
        releases.release_date,
        min(person_charges.arraignment_date) as first_date
    from releases
    inner join person_charges
        on releases.sid = person_charges.sid
        and releases.release_date < person_charges.arraignment_date
    group by releases.sid, releases.release_date
),

first_convictions as (
    select
        releases.sid,
        releases.release_date,
        min(person_charges.disposition_date) as first_date
    from releases
    inner join person_charges
        on releases.sid = person_charges.sid
        and releases.release_date < person_charges.offense_date
        and releases.release_date < person_charges.disposition_date
    where person_charges.is_conviction
    group by releases.sid, releases.release_date
),

first_admissions as (
    select
        releases.sid,
        releases.release_date,
        min(events.event_date) as first_admission_date
    from releases
    inner join events
        on releases.sid = events.sid
        and releases.release_date < events.event_date
    where events.event = 'Admission'
    group by releases.sid, releases.release_date
),

{# every placement from the first new admission on is custody after the
   release: its start is when the person is first held with its status #}
first_sentenced_custody as (
    select
        first_admissions.sid,
        first_admissions.release_date,
        min(placements.admission_date) as first_date
    from first_admissions
    inner join placements
        on first_admissions.sid = placements.sid
        and first_admissions.first_admission_date <= placements.admission_date
    where placements.offender_status = 'Sentenced'
    group by first_admissions.sid, first_admissions.release_date
),

followups as (
    select unnest([1, 2, 3]) as followup_years
),

windows as (
    select
        releases.*,
        followups.followup_years,
        releases.release_date + to_years(followups.followup_years) as window_end
    from releases
    cross join followups
    cross join manifest
    where releases.release_date + to_years(followups.followup_years) <= manifest.as_of
),

measured as (
    {%- for measure, cte in [('Re-arraignment', 'first_arraignments'), ('Reconviction', 'first_convictions'),
        ('Reincarceration', 'first_sentenced_custody')] %}
    select
        windows.*,
        '{{ measure }}' as measure,
        coalesce({{ cte }}.first_date <= windows.window_end, false) as is_recidivated
    from windows
    left join {{ cte }}
        on windows.sid = {{ cte }}.sid
        and windows.release_date = {{ cte }}.release_date
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select * from measured
)

select * from final
