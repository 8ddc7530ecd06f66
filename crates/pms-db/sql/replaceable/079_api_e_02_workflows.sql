-- The compensation decision's approval workflow, kept by the database whatever the caller:
--   PROPOSED -> APPROVED | REJECTED   by HR, or by a manager above the proposer in the reporting
--                                     chain (or an APPROVALS delegate of one), never by the
--                                     proposer;
--   APPROVED -> APPLIED               by HR (the pay change is in payroll).
-- REJECTED and APPLIED are final, and a decided row keeps its terms (type, amounts, currency,
-- date, person). The proposer, approver and times are set here, not by the caller. Every other
-- change of status is refused (P0001, which the API answers with 409). The platform's own roles
-- (no acting user: seeds, jobs, erasure) are not asked for an approver.

CREATE OR REPLACE FUNCTION public.pms_compensation_decision_next(p_from text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE p_from
        WHEN 'PROPOSED' THEN ARRAY['APPROVED', 'REJECTED']
        WHEN 'APPROVED' THEN ARRAY['APPLIED']
        ELSE ARRAY[]::text[] END
$$;

-- Why the amounts of a decision are wrong, or NULL: an increase (merit, market adjustment,
-- promotion) must raise the current amount when one is given; a bonus or equity grant must be
-- more than nothing.
CREATE OR REPLACE FUNCTION public.pms_compensation_amounts_problem(p_type text, p_current numeric, p_proposed numeric)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN p_proposed IS NULL OR p_proposed < 0 THEN 'the proposed amount must be zero or more'
        WHEN p_current IS NOT NULL AND p_current < 0 THEN 'the current amount must be zero or more'
        WHEN p_type IN ('MERIT_INCREASE', 'MARKET_ADJUSTMENT', 'PROMOTION_INCREASE')
             AND p_current IS NOT NULL AND p_proposed <= p_current
            THEN 'an increase must be above the current amount'
        WHEN p_type IN ('BONUS', 'EQUITY') AND p_proposed = 0 THEN 'a bonus or equity grant must be more than zero'
    END
$$;

CREATE OR REPLACE FUNCTION public.pms_compensation_decision_workflow() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    v_me uuid := public.pms_acting_user();
    v_problem text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF v_me IS NOT NULL THEN
            IF NEW.status <> 'PROPOSED' THEN
                RAISE EXCEPTION 'a compensation decision starts as PROPOSED, not %', NEW.status;
            END IF;
            v_problem := public.pms_compensation_amounts_problem(NEW.decision_type, NEW.current_amount, NEW.proposed_amount);
            IF v_problem IS NOT NULL THEN
                RAISE EXCEPTION 'compensation decision: %', v_problem;
            END IF;
            NEW.decided_by := v_me;
            NEW.approved_by := NULL;
            NEW.approved_at := NULL;
            NEW.applied_at := NULL;
        END IF;
        RETURN NEW;
    END IF;
    IF v_me IS NOT NULL THEN
        -- Who proposed, approved and applied is the database's record, not the caller's.
        NEW.decided_by := OLD.decided_by;
        NEW.approved_by := OLD.approved_by;
        NEW.approved_at := OLD.approved_at;
        NEW.applied_at := OLD.applied_at;
    END IF;
    IF NEW.status = OLD.status THEN
        IF v_me IS NOT NULL AND OLD.status <> 'PROPOSED'
           AND (NEW.employee_id, NEW.decision_type, NEW.currency, NEW.current_amount, NEW.proposed_amount, NEW.effective_date)
               IS DISTINCT FROM
               (OLD.employee_id, OLD.decision_type, OLD.currency, OLD.current_amount, OLD.proposed_amount, OLD.effective_date) THEN
            RAISE EXCEPTION 'compensation decision % is % and its terms cannot change', OLD.id, OLD.status;
        END IF;
        IF v_me IS NOT NULL THEN
            v_problem := public.pms_compensation_amounts_problem(NEW.decision_type, NEW.current_amount, NEW.proposed_amount);
            IF v_problem IS NOT NULL AND (NEW.decision_type, NEW.current_amount, NEW.proposed_amount)
                                         IS DISTINCT FROM (OLD.decision_type, OLD.current_amount, OLD.proposed_amount) THEN
                RAISE EXCEPTION 'compensation decision: %', v_problem;
            END IF;
        END IF;
        RETURN NEW;
    END IF;
    IF NOT NEW.status = ANY (public.pms_compensation_decision_next(OLD.status)) THEN
        RAISE EXCEPTION '%', format('compensation decision %s cannot move from %s to %s%s', OLD.id, OLD.status, NEW.status,
            CASE WHEN cardinality(public.pms_compensation_decision_next(OLD.status)) = 0 THEN ': it is final'
                 ELSE ': the next steps are ' || array_to_string(public.pms_compensation_decision_next(OLD.status), ', ') END);
    END IF;
    IF (NEW.employee_id, NEW.decision_type, NEW.currency, NEW.current_amount, NEW.proposed_amount, NEW.effective_date)
       IS DISTINCT FROM
       (OLD.employee_id, OLD.decision_type, OLD.currency, OLD.current_amount, OLD.proposed_amount, OLD.effective_date)
       AND v_me IS NOT NULL THEN
        RAISE EXCEPTION 'compensation decision %: a decision changes its status or its terms, not both', OLD.id;
    END IF;
    IF OLD.status = 'PROPOSED' THEN
        IF v_me IS NOT NULL THEN
            IF v_me = OLD.decided_by THEN
                RAISE EXCEPTION 'compensation decision %: its proposer cannot also approve or reject it', OLD.id;
            END IF;
            IF NOT (public.pms_is_tenant_hr()
                    OR coalesce(OLD.decided_by, OLD.employee_id) IN (SELECT m FROM public.pms_managed_people('APPROVALS') m)) THEN
                RAISE EXCEPTION 'compensation decision %: only HR or a manager above its proposer approves or rejects it', OLD.id;
            END IF;
            NEW.approved_by := v_me;
        END IF;
        NEW.approved_at := coalesce(NEW.approved_at, now());
    ELSIF NEW.status = 'APPLIED' THEN
        IF v_me IS NOT NULL AND NOT public.pms_is_tenant_hr() THEN
            RAISE EXCEPTION 'compensation decision %: only HR applies an approved decision', OLD.id;
        END IF;
        NEW.applied_at := coalesce(NEW.applied_at, now());
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER compensation_decision_workflow BEFORE INSERT OR UPDATE ON public.compensation_decisions
    FOR EACH ROW EXECUTE FUNCTION public.pms_compensation_decision_workflow();

-- Cron schedules of reports: five fields (minute, hour, day of month, month, day of week), each
-- `*`, a number, a range `a-b`, a step `*/n` or `a-b/n`, or a list of those; months JAN-DEC and
-- days SUN-SAT by name too (0 and 7 are Sunday). When both days are restricted, either matches
-- (as cron does). Times are UTC.

-- The values of one field, ascending; NULL when the field is not valid.
CREATE OR REPLACE FUNCTION public.pms_cron_field(p_field text, p_min int, p_max int, p_names text[] DEFAULT NULL)
    RETURNS int[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog AS $$
DECLARE
    v_field text := upper(p_field);
    v_part text;
    v_range text;
    v_step int;
    v_lo int;
    v_hi int;
    v_out int[] := '{}';
BEGIN
    IF p_names IS NOT NULL THEN
        FOR i IN 1 .. cardinality(p_names) LOOP
            v_field := regexp_replace(v_field, '\m' || p_names[i] || '\M', (p_min + i - 1)::text, 'g');
        END LOOP;
    END IF;
    FOREACH v_part IN ARRAY string_to_array(v_field, ',') LOOP
        IF v_part !~ '^(\*|[0-9]{1,2}(-[0-9]{1,2})?)(/[0-9]{1,2})?$' THEN
            RETURN NULL;
        END IF;
        v_range := split_part(v_part, '/', 1);
        v_step := coalesce(nullif(split_part(v_part, '/', 2), '')::int, 1);
        IF v_step < 1 THEN
            RETURN NULL;
        END IF;
        IF v_range = '*' THEN
            v_lo := p_min;
            v_hi := p_max;
        ELSIF strpos(v_range, '-') > 0 THEN
            v_lo := split_part(v_range, '-', 1)::int;
            v_hi := split_part(v_range, '-', 2)::int;
        ELSE
            v_lo := v_range::int;
            v_hi := CASE WHEN strpos(v_part, '/') > 0 THEN p_max ELSE v_lo END;
        END IF;
        IF v_lo < p_min OR v_hi > p_max OR v_lo > v_hi THEN
            RETURN NULL;
        END IF;
        v_out := v_out || ARRAY(SELECT generate_series(v_lo, v_hi, v_step));
    END LOOP;
    RETURN ARRAY(SELECT DISTINCT x FROM unnest(v_out) AS x ORDER BY x);
END
$$;

-- The first instant strictly after p_after at which the schedule fires; NULL when the
-- expression is not valid or never fires (31 February) within five years.
CREATE OR REPLACE FUNCTION public.pms_cron_next(p_cron text, p_after timestamptz) RETURNS timestamptz
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog AS $$
DECLARE
    v_f text[] := regexp_split_to_array(btrim(coalesce(p_cron, '')), '\s+');
    v_min int[];
    v_hour int[];
    v_dom int[];
    v_month int[];
    v_dow int[];
    v_dom_any boolean;
    v_dow_any boolean;
    v_from timestamp;
    v_day date;
    v_ok boolean;
    v_at timestamp;
    h int;
    m int;
BEGIN
    IF cardinality(v_f) <> 5 OR p_after IS NULL THEN
        RETURN NULL;
    END IF;
    v_min := public.pms_cron_field(v_f[1], 0, 59);
    v_hour := public.pms_cron_field(v_f[2], 0, 23);
    v_dom := public.pms_cron_field(v_f[3], 1, 31);
    v_month := public.pms_cron_field(v_f[4], 1, 12, ARRAY['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']);
    v_dow := public.pms_cron_field(v_f[5], 0, 7, ARRAY['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']);
    IF v_min IS NULL OR v_hour IS NULL OR v_dom IS NULL OR v_month IS NULL OR v_dow IS NULL THEN
        RETURN NULL;
    END IF;
    IF 7 = ANY (v_dow) THEN
        v_dow := array_append(v_dow, 0);
    END IF;
    v_dom_any := v_f[3] = '*';
    v_dow_any := v_f[5] = '*';
    v_from := date_trunc('minute', p_after AT TIME ZONE 'UTC') + interval '1 minute';
    FOR i IN 0 .. 5 * 366 LOOP
        v_day := v_from::date + i;
        IF extract(month FROM v_day)::int = ANY (v_month) THEN
            v_ok := CASE
                WHEN v_dom_any AND v_dow_any THEN true
                WHEN v_dom_any THEN extract(dow FROM v_day)::int = ANY (v_dow)
                WHEN v_dow_any THEN extract(day FROM v_day)::int = ANY (v_dom)
                ELSE extract(day FROM v_day)::int = ANY (v_dom) OR extract(dow FROM v_day)::int = ANY (v_dow) END;
            IF v_ok THEN
                FOREACH h IN ARRAY v_hour LOOP
                    FOREACH m IN ARRAY v_min LOOP
                        v_at := v_day + make_interval(hours => h, mins => m);
                        IF v_at >= v_from THEN
                            RETURN v_at AT TIME ZONE 'UTC';
                        END IF;
                    END LOOP;
                END LOOP;
            END IF;
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

-- A schedule's next run: computed from its cron when it is created without one, when its cron
-- changes and when it resumes; none while it is paused. An expression that never fires is
-- refused. The worker moves next_run_at itself after each run.
CREATE OR REPLACE FUNCTION public.pms_report_schedule_next_run() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    IF public.pms_cron_next(NEW.cron, now()) IS NULL THEN
        RAISE EXCEPTION 'report schedule: % is not a cron expression that fires (minute hour day month weekday, UTC)', NEW.cron
            USING ERRCODE = 'check_violation', CONSTRAINT = 'report_schedules_cron_check';
    END IF;
    IF NOT NEW.is_active THEN
        NEW.next_run_at := NULL;
    ELSIF TG_OP = 'INSERT' THEN
        NEW.next_run_at := coalesce(NEW.next_run_at, public.pms_cron_next(NEW.cron, now()));
    ELSIF NEW.cron IS DISTINCT FROM OLD.cron OR NOT OLD.is_active OR NEW.next_run_at IS NULL THEN
        NEW.next_run_at := public.pms_cron_next(NEW.cron, now());
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER report_schedule_next_run BEFORE INSERT OR UPDATE ON public.report_schedules
    FOR EACH ROW EXECUTE FUNCTION public.pms_report_schedule_next_run();
