-- Calibration over the API (issue 20), kept by the database whatever the caller. A refused
-- change raises P0001 with a sentence and a HINT naming the reason, which the API returns as a
-- 409 with that code (as in 076_api_a_workflows.sql):
--   invalid_transition  the session status may not follow the current one;
--   record_closed       the session is completed or cancelled and refuses the change;
--   ratings_locked      the cycle's calibration was finalized: its ratings no longer change;
--   rationale_required  a rating moved without a rationale;
--   original_kept       the original rating of a calibration rating never changes;
--   cycle_phase         finalizing needs the cycle in its CALIBRATION phase;
--   sessions_open       finalizing needs every session of the cycle completed or cancelled.

-- Sessions: PLANNED -> IN_PROGRESS -> COMPLETED; CANCELLED from PLANNED or IN_PROGRESS. A
-- completed or cancelled session refuses every change; so does any session of a locked cycle.
CREATE OR REPLACE FUNCTION public.pms_calibration_session_workflow() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    -- An update that changes nothing is no change (a closed session refuses changes only).
    IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;
    -- The platform's own roles (an erasure pseudonymising the facilitator, scrubbing the name)
    -- may change a closed or locked session's other columns, never its status or cycle.
    IF TG_OP = 'UPDATE' AND current_user IN ('pms_owner', 'pms_maintenance')
       AND NEW.status = OLD.status AND NEW.cycle_id = OLD.cycle_id THEN
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT 1 FROM public.review_cycles c WHERE c.tenant_id = NEW.tenant_id AND c.id = NEW.cycle_id
                  AND c.calibration_locked_at IS NOT NULL) THEN
        RAISE EXCEPTION 'the calibration of cycle % is finalized: its sessions cannot change', NEW.cycle_id
            USING HINT = 'ratings_locked';
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.status NOT IN ('PLANNED', 'IN_PROGRESS') AND current_user NOT IN ('pms_owner', 'pms_maintenance') THEN
            RAISE EXCEPTION 'a new calibration session is PLANNED or IN_PROGRESS, not %', NEW.status
                USING HINT = 'invalid_transition';
        END IF;
        RETURN NEW;
    END IF;
    IF OLD.status IN ('COMPLETED', 'CANCELLED') THEN
        RAISE EXCEPTION 'calibration session % is % and cannot change', OLD.id, OLD.status USING HINT = 'record_closed';
    END IF;
    IF NEW.cycle_id IS DISTINCT FROM OLD.cycle_id THEN
        RAISE EXCEPTION 'calibration session % cannot move to another cycle', OLD.id USING HINT = 'invalid_transition';
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status
       AND NOT (OLD.status = 'PLANNED' AND NEW.status IN ('IN_PROGRESS', 'CANCELLED')
                OR OLD.status = 'IN_PROGRESS' AND NEW.status IN ('COMPLETED', 'CANCELLED')) THEN
        RAISE EXCEPTION 'calibration session % cannot move from % to %: PLANNED -> IN_PROGRESS -> COMPLETED, or CANCELLED',
            OLD.id, OLD.status, NEW.status USING HINT = 'invalid_transition';
    END IF;
    RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER calibration_session_workflow BEFORE INSERT OR UPDATE ON public.calibration_sessions
    FOR EACH ROW EXECUTE FUNCTION public.pms_calibration_session_workflow();

-- The roster of a session changes while the session is open.
CREATE OR REPLACE FUNCTION public.pms_calibration_participant_open() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    v_row record;
    v_status text;
BEGIN
    IF TG_OP = 'DELETE' THEN v_row := OLD; ELSE v_row := NEW; END IF;
    SELECT s.status INTO v_status FROM public.calibration_sessions s
     WHERE s.tenant_id = v_row.tenant_id AND s.id = v_row.session_id;
    IF v_status IN ('COMPLETED', 'CANCELLED') AND current_user NOT IN ('pms_owner', 'pms_maintenance') THEN
        RAISE EXCEPTION 'calibration session % is %: its participants cannot change', v_row.session_id, v_status
            USING HINT = 'record_closed';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER calibration_participant_open BEFORE INSERT OR UPDATE OR DELETE ON public.calibration_participants
    FOR EACH ROW EXECUTE FUNCTION public.pms_calibration_participant_open();

-- A calibration rating: never in a locked cycle, never in a closed session (a completed
-- session's record is history), the original rating kept, and a moved rating says why.
CREATE OR REPLACE FUNCTION public.pms_calibration_rating_rules() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    v_row record;
    v_status text;
    v_locked timestamptz;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;  -- no change
    END IF;
    IF TG_OP = 'DELETE' THEN v_row := OLD; ELSE v_row := NEW; END IF;
    SELECT s.status, c.calibration_locked_at INTO v_status, v_locked
      FROM public.calibration_sessions s
      JOIN public.review_cycles c ON c.tenant_id = s.tenant_id AND c.id = s.cycle_id
     WHERE s.tenant_id = v_row.tenant_id AND s.id = v_row.session_id;
    -- An erasure (the platform's own roles) pseudonymises the adjuster and scrubs the rationale
    -- of a locked rating; the ratings themselves never change.
    IF TG_OP = 'UPDATE' AND current_user IN ('pms_owner', 'pms_maintenance')
       AND (NEW.original_rating, NEW.adjusted_rating, NEW.session_id, NEW.review_id)
           IS NOT DISTINCT FROM (OLD.original_rating, OLD.adjusted_rating, OLD.session_id, OLD.review_id) THEN
        RETURN NEW;
    END IF;
    IF v_locked IS NOT NULL THEN
        RAISE EXCEPTION 'the calibration of this cycle was finalized: its ratings cannot change' USING HINT = 'ratings_locked';
    END IF;
    -- The demo seed and the maintenance tools record completed sessions' history; the
    -- application writes only while a session is open.
    IF current_user NOT IN ('pms_owner', 'pms_maintenance') AND (TG_OP <> 'INSERT' AND v_status = 'COMPLETED' OR v_status = 'CANCELLED') THEN
        RAISE EXCEPTION 'calibration session % is %: its ratings cannot change', v_row.session_id, v_status
            USING HINT = 'record_closed';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.original_rating IS DISTINCT FROM OLD.original_rating THEN
        RAISE EXCEPTION 'the original rating of calibration rating % is kept: it cannot change', OLD.id
            USING HINT = 'original_kept';
    END IF;
    IF NEW.adjusted_rating IS NOT NULL AND NEW.adjusted_rating <> NEW.original_rating
       AND coalesce(btrim(NEW.rationale), '') = '' THEN
        RAISE EXCEPTION 'a rating moved in calibration (% to %) needs a rationale', NEW.original_rating, NEW.adjusted_rating
            USING HINT = 'rationale_required';
    END IF;
    RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER calibration_rating_rules BEFORE INSERT OR UPDATE OR DELETE ON public.calibration_ratings
    FOR EACH ROW EXECUTE FUNCTION public.pms_calibration_rating_rules();

-- A review of a locked cycle keeps its rating.
CREATE OR REPLACE FUNCTION public.pms_review_rating_lock() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    IF NEW.overall_rating IS DISTINCT FROM OLD.overall_rating
       AND EXISTS (SELECT 1 FROM public.review_cycles c WHERE c.tenant_id = OLD.tenant_id AND c.id = OLD.cycle_id
                      AND c.calibration_locked_at IS NOT NULL) THEN
        RAISE EXCEPTION 'the ratings of review % are locked: its cycle''s calibration was finalized', OLD.id
            USING HINT = 'ratings_locked';
    END IF;
    RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER review_rating_lock BEFORE UPDATE OF overall_rating ON public.performance_reviews
    FOR EACH ROW EXECUTE FUNCTION public.pms_review_rating_lock();

-- The lock of a cycle is never lifted or moved.
CREATE OR REPLACE FUNCTION public.pms_review_cycle_lock_kept() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    IF OLD.calibration_locked_at IS NOT NULL AND NEW.calibration_locked_at IS DISTINCT FROM OLD.calibration_locked_at THEN
        RAISE EXCEPTION 'the ratings of cycle % are locked for good', OLD.id USING HINT = 'ratings_locked';
    END IF;
    RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER review_cycle_lock_kept BEFORE UPDATE OF calibration_locked_at ON public.review_cycles
    FOR EACH ROW EXECUTE FUNCTION public.pms_review_cycle_lock_kept();

-- Finalizes the calibration of a cycle (the caller's rights are the policies'): the cycle must
-- be in CALIBRATION with every session completed or cancelled; its submitted and calibrated
-- reviews become FINALIZED, its ratings are locked and the cycle moves to FINALIZATION.
-- Returns the number of reviews finalized.
CREATE OR REPLACE FUNCTION public.pms_finalize_calibration(p_cycle uuid, p_now timestamptz DEFAULT now()) RETURNS integer
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    v_status text;
    v_locked timestamptz;
    v_open integer;
    v_done integer;
BEGIN
    SELECT c.status, c.calibration_locked_at INTO v_status, v_locked FROM public.review_cycles c
     WHERE c.id = p_cycle AND c.deleted_at IS NULL FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no review cycle %', p_cycle USING ERRCODE = 'no_data_found';
    END IF;
    IF v_locked IS NOT NULL THEN
        RAISE EXCEPTION 'the calibration of cycle % was finalized already', p_cycle USING HINT = 'ratings_locked';
    END IF;
    IF v_status <> 'CALIBRATION' THEN
        RAISE EXCEPTION 'cycle % is in %: finalizing its calibration needs CALIBRATION', p_cycle, v_status
            USING HINT = 'cycle_phase';
    END IF;
    SELECT count(*) INTO v_open FROM public.calibration_sessions s
     WHERE s.cycle_id = p_cycle AND s.status IN ('PLANNED', 'IN_PROGRESS');
    IF v_open > 0 THEN
        RAISE EXCEPTION '% calibration session(s) of cycle % are still open: complete or cancel them first', v_open, p_cycle
            USING HINT = 'sessions_open';
    END IF;
    UPDATE public.performance_reviews r SET status = 'FINALIZED'
     WHERE r.cycle_id = p_cycle AND r.status IN ('SUBMITTED', 'CALIBRATED') AND r.deleted_at IS NULL;
    GET DIAGNOSTICS v_done = ROW_COUNT;
    UPDATE public.review_cycles c SET calibration_locked_at = p_now, status = 'FINALIZATION' WHERE c.id = p_cycle;
    RETURN v_done;
END
$$;
