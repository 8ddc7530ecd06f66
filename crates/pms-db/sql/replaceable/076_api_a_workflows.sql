-- The state machines of one-on-ones, PIPs and development plans (issue 20), kept by the
-- database whatever the caller. A refused change raises P0001 with a sentence for the caller
-- and a HINT naming the reason as a stable code, which the API returns as a 409 with that code:
--   invalid_transition  the status may not follow the current one;
--   record_closed       the record (or the plan it belongs to) is closed and refuses changes;
--   outcome_required    closing a PIP needs its outcome notes;
--   out_of_range        a date outside the plan's period.

-- One-on-ones: SCHEDULED (or a legacy RESCHEDULED) -> COMPLETED or CANCELLED. Moving the
-- meeting keeps it SCHEDULED. A completed meeting keeps its notes open (people write them
-- after the meeting) but not its time; a cancelled one refuses every change.
CREATE OR REPLACE FUNCTION public.pms_one_on_one_workflow() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    IF OLD.status = 'CANCELLED' AND NEW.deleted_at IS NOT DISTINCT FROM OLD.deleted_at THEN
        RAISE EXCEPTION 'one-on-one % is cancelled and cannot change', OLD.id USING HINT = 'record_closed';
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        IF OLD.status = 'COMPLETED' THEN
            RAISE EXCEPTION 'one-on-one % is COMPLETED and cannot become %', OLD.id, NEW.status USING HINT = 'invalid_transition';
        END IF;
        IF NOT (OLD.status IN ('SCHEDULED', 'RESCHEDULED') AND NEW.status IN ('COMPLETED', 'CANCELLED')
                OR OLD.status = 'RESCHEDULED' AND NEW.status = 'SCHEDULED') THEN
            RAISE EXCEPTION 'one-on-one % cannot move from % to %: a scheduled meeting is completed or cancelled',
                OLD.id, OLD.status, NEW.status USING HINT = 'invalid_transition';
        END IF;
        NEW.completed_at := CASE WHEN NEW.status = 'COMPLETED' THEN coalesce(NEW.completed_at, now()) END;
        NEW.cancelled_at := CASE WHEN NEW.status = 'CANCELLED' THEN coalesce(NEW.cancelled_at, now()) END;
    END IF;
    IF OLD.status = 'COMPLETED' AND (NEW.scheduled_at IS DISTINCT FROM OLD.scheduled_at
                                     OR NEW.duration_minutes IS DISTINCT FROM OLD.duration_minutes) THEN
        RAISE EXCEPTION 'one-on-one % is completed: its time cannot change', OLD.id USING HINT = 'record_closed';
    END IF;
    RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER one_on_one_workflow BEFORE UPDATE ON public.one_on_ones
    FOR EACH ROW EXECUTE FUNCTION public.pms_one_on_one_workflow();

-- The agenda and action items of a cancelled meeting are closed with it.
CREATE OR REPLACE FUNCTION public.pms_one_on_one_item_open() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    v_row record;
BEGIN
    IF TG_OP = 'DELETE' THEN v_row := OLD; ELSE v_row := NEW; END IF;
    IF EXISTS (SELECT 1 FROM public.one_on_ones o WHERE o.tenant_id = v_row.tenant_id AND o.id = v_row.one_on_one_id
                  AND o.status = 'CANCELLED') THEN
        RAISE EXCEPTION 'one-on-one % is cancelled: its % cannot change', v_row.one_on_one_id, replace(TG_TABLE_NAME, 'one_on_one_', '')
            USING HINT = 'record_closed';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER one_on_one_item_open BEFORE INSERT OR UPDATE OR DELETE ON public.one_on_one_agenda_items
    FOR EACH ROW EXECUTE FUNCTION public.pms_one_on_one_item_open();
CREATE OR REPLACE TRIGGER one_on_one_item_open BEFORE INSERT OR UPDATE OR DELETE ON public.one_on_one_action_items
    FOR EACH ROW EXECUTE FUNCTION public.pms_one_on_one_item_open();

-- PIPs: DRAFT -> ACTIVE -> ON_TRACK / AT_RISK (back and forth) -> SUCCESSFUL / UNSUCCESSFUL;
-- CANCELLED from any open status. A legacy EXTENDED plan moves like ON_TRACK. A closed plan
-- (SUCCESSFUL, UNSUCCESSFUL, CANCELLED) refuses every change; closing needs outcome notes.
CREATE OR REPLACE FUNCTION public.pms_pip_next_statuses(p_status text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE p_status
        WHEN 'DRAFT' THEN ARRAY['ACTIVE', 'CANCELLED']
        WHEN 'ACTIVE' THEN ARRAY['ON_TRACK', 'AT_RISK', 'CANCELLED']
        WHEN 'ON_TRACK' THEN ARRAY['AT_RISK', 'SUCCESSFUL', 'UNSUCCESSFUL', 'CANCELLED']
        WHEN 'AT_RISK' THEN ARRAY['ON_TRACK', 'SUCCESSFUL', 'UNSUCCESSFUL', 'CANCELLED']
        WHEN 'EXTENDED' THEN ARRAY['ON_TRACK', 'AT_RISK', 'SUCCESSFUL', 'UNSUCCESSFUL', 'CANCELLED']
        ELSE ARRAY[]::text[] END
$$;

CREATE OR REPLACE FUNCTION public.pms_pip_workflow() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    IF OLD.status IN ('SUCCESSFUL', 'UNSUCCESSFUL', 'CANCELLED') THEN
        IF (to_jsonb(NEW) - 'updated_at' - 'deleted_at') IS DISTINCT FROM (to_jsonb(OLD) - 'updated_at' - 'deleted_at') THEN
            RAISE EXCEPTION 'PIP % is % and cannot change', OLD.id, OLD.status USING HINT = 'record_closed';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        IF NOT NEW.status = ANY (public.pms_pip_next_statuses(OLD.status)) THEN
            RAISE EXCEPTION 'PIP % cannot move from % to %: the next status is one of %', OLD.id, OLD.status, NEW.status,
                array_to_string(public.pms_pip_next_statuses(OLD.status), ', ') USING HINT = 'invalid_transition';
        END IF;
        IF NEW.status IN ('SUCCESSFUL', 'UNSUCCESSFUL') AND length(trim(coalesce(NEW.outcome_notes, ''))) = 0 THEN
            RAISE EXCEPTION 'closing PIP % as % needs its outcome notes', OLD.id, NEW.status USING HINT = 'outcome_required';
        END IF;
        IF NEW.status IN ('SUCCESSFUL', 'UNSUCCESSFUL', 'CANCELLED') THEN
            NEW.closed_at := now();
            NEW.next_check_in_on := NULL;
        ELSIF OLD.status = 'DRAFT' THEN
            -- The first check-in is due one interval after the plan starts.
            NEW.next_check_in_on := NEW.starts_on + NEW.check_in_every_days;
        END IF;
    END IF;
    RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER pip_workflow BEFORE UPDATE ON public.performance_improvement_plans
    FOR EACH ROW EXECUTE FUNCTION public.pms_pip_workflow();

-- Milestones and check-ins of a closed plan are closed with it; check-ins are held while the
-- plan runs (not in DRAFT) and within its period; each check-in moves the plan's next one.
CREATE OR REPLACE FUNCTION public.pms_pip_part_open() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    v_row record;
    v_plan record;
BEGIN
    IF TG_OP = 'DELETE' THEN v_row := OLD; ELSE v_row := NEW; END IF;
    SELECT p.status, p.starts_on, p.ends_on INTO v_plan FROM public.performance_improvement_plans p
     WHERE p.tenant_id = v_row.tenant_id AND p.id = v_row.pip_id;
    IF v_plan.status IN ('SUCCESSFUL', 'UNSUCCESSFUL', 'CANCELLED') THEN
        RAISE EXCEPTION 'PIP % is %: its % cannot change', v_row.pip_id, v_plan.status, replace(TG_TABLE_NAME, 'pip_', '')
            USING HINT = 'record_closed';
    END IF;
    IF TG_TABLE_NAME = 'pip_check_ins' AND TG_OP <> 'DELETE' THEN
        IF v_plan.status = 'DRAFT' THEN
            RAISE EXCEPTION 'PIP % is a draft: check-ins start once it is ACTIVE', v_row.pip_id USING HINT = 'invalid_transition';
        END IF;
        IF NEW.check_in_date < v_plan.starts_on OR NEW.check_in_date > v_plan.ends_on THEN
            RAISE EXCEPTION 'a check-in of PIP % is held between % and %', v_row.pip_id, v_plan.starts_on, v_plan.ends_on
                USING HINT = 'out_of_range';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER pip_part_open BEFORE INSERT OR UPDATE OR DELETE ON public.pip_milestones
    FOR EACH ROW EXECUTE FUNCTION public.pms_pip_part_open();
CREATE OR REPLACE TRIGGER pip_part_open BEFORE INSERT OR UPDATE OR DELETE ON public.pip_check_ins
    FOR EACH ROW EXECUTE FUNCTION public.pms_pip_part_open();

CREATE OR REPLACE FUNCTION public.pms_pip_check_in_schedule() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    UPDATE public.performance_improvement_plans p
       SET next_check_in_on = CASE WHEN NEW.check_in_date + p.check_in_every_days <= p.ends_on
                                   THEN NEW.check_in_date + p.check_in_every_days END
     WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.pip_id
       AND (p.next_check_in_on IS NULL OR p.next_check_in_on <= NEW.check_in_date + p.check_in_every_days);
    RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER pip_check_in_schedule AFTER INSERT ON public.pip_check_ins
    FOR EACH ROW EXECUTE FUNCTION public.pms_pip_check_in_schedule();

-- Development plans: DRAFT -> ACTIVE -> COMPLETED, CANCELLED from DRAFT or ACTIVE; a closed
-- plan, and its activities and checkpoints, refuse changes. The plan's progress is the share
-- of its activities done (dropped ones do not count), kept here; a checkpoint completed keeps
-- the progress of that day.
CREATE OR REPLACE FUNCTION public.pms_development_plan_workflow() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    IF OLD.status IN ('COMPLETED', 'CANCELLED') THEN
        IF (to_jsonb(NEW) - 'updated_at' - 'deleted_at') IS DISTINCT FROM (to_jsonb(OLD) - 'updated_at' - 'deleted_at') THEN
            RAISE EXCEPTION 'development plan % is % and cannot change', OLD.id, OLD.status USING HINT = 'record_closed';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status
       AND NOT (OLD.status = 'DRAFT' AND NEW.status IN ('ACTIVE', 'CANCELLED')
                OR OLD.status = 'ACTIVE' AND NEW.status IN ('COMPLETED', 'CANCELLED')) THEN
        RAISE EXCEPTION 'development plan % cannot move from % to %', OLD.id, OLD.status, NEW.status
            USING HINT = 'invalid_transition';
    END IF;
    RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER development_plan_workflow BEFORE UPDATE ON public.development_plans
    FOR EACH ROW EXECUTE FUNCTION public.pms_development_plan_workflow();

CREATE OR REPLACE FUNCTION public.pms_development_part_open() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    v_row record;
    v_status text;
    v_progress numeric;
BEGIN
    IF TG_OP = 'DELETE' THEN v_row := OLD; ELSE v_row := NEW; END IF;
    SELECT p.status, p.progress INTO v_status, v_progress FROM public.development_plans p
     WHERE p.tenant_id = v_row.tenant_id AND p.id = v_row.plan_id;
    IF v_status IN ('COMPLETED', 'CANCELLED') THEN
        RAISE EXCEPTION 'development plan % is %: its % cannot change', v_row.plan_id, v_status,
            replace(TG_TABLE_NAME, 'development_', '') USING HINT = 'record_closed';
    END IF;
    IF TG_TABLE_NAME = 'development_activities' AND TG_OP <> 'DELETE' THEN
        NEW.completed_at := CASE WHEN NEW.status = 'DONE' THEN coalesce(NEW.completed_at, now()) END;
    END IF;
    IF TG_TABLE_NAME = 'development_checkpoints' AND TG_OP = 'UPDATE'
       AND NEW.completed_at IS NOT NULL AND OLD.completed_at IS NULL THEN
        NEW.progress_snapshot := v_progress;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER development_part_open BEFORE INSERT OR UPDATE OR DELETE ON public.development_activities
    FOR EACH ROW EXECUTE FUNCTION public.pms_development_part_open();
CREATE OR REPLACE TRIGGER development_part_open BEFORE INSERT OR UPDATE OR DELETE ON public.development_checkpoints
    FOR EACH ROW EXECUTE FUNCTION public.pms_development_part_open();

CREATE OR REPLACE FUNCTION public.pms_development_progress() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    v_row record;
BEGIN
    IF TG_OP = 'DELETE' THEN v_row := OLD; ELSE v_row := NEW; END IF;
    UPDATE public.development_plans p
       SET progress = a.pct
      FROM (SELECT round(100.0 * count(*) FILTER (WHERE x.status = 'DONE') / count(*), 2) AS pct
              FROM public.development_activities x
             WHERE x.tenant_id = v_row.tenant_id AND x.plan_id = v_row.plan_id AND x.status <> 'DROPPED'
            HAVING count(*) > 0) a
     WHERE p.tenant_id = v_row.tenant_id AND p.id = v_row.plan_id AND p.progress IS DISTINCT FROM a.pct;
    RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER development_progress AFTER INSERT OR UPDATE OF status OR DELETE ON public.development_activities
    FOR EACH ROW EXECUTE FUNCTION public.pms_development_progress();
