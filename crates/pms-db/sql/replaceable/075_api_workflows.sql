-- Workflows the database keeps, whatever the caller: a review cycle only moves forward one
-- step at a time (or is cancelled before it completes), and a review's status never goes
-- back. A refused move raises check_violation-class error 'P0001' with a sentence the API
-- shows as a 409.

CREATE OR REPLACE FUNCTION public.pms_review_cycle_step(p_status text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_position(ARRAY['DRAFT', 'SCHEDULED', 'SELF_ASSESSMENT', 'MANAGER_REVIEW',
                                'CALIBRATION', 'FINALIZATION', 'SHARING', 'COMPLETED'], p_status)
$$;

CREATE OR REPLACE FUNCTION public.pms_review_cycle_forward_only() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    IF NEW.status = OLD.status THEN
        RETURN NEW;
    END IF;
    IF OLD.status IN ('COMPLETED', 'CANCELLED') THEN
        RAISE EXCEPTION 'review cycle % is % and cannot change status', OLD.id, OLD.status;
    END IF;
    IF NEW.status = 'CANCELLED'
       OR public.pms_review_cycle_step(NEW.status) = public.pms_review_cycle_step(OLD.status) + 1 THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'review cycle % cannot move from % to %: the next step is %',
        OLD.id, OLD.status, NEW.status,
        (ARRAY['DRAFT', 'SCHEDULED', 'SELF_ASSESSMENT', 'MANAGER_REVIEW', 'CALIBRATION',
               'FINALIZATION', 'SHARING', 'COMPLETED'])[public.pms_review_cycle_step(OLD.status) + 1]
        || ' (or CANCELLED)';
END
$$;

CREATE OR REPLACE TRIGGER review_cycle_forward_only BEFORE UPDATE OF status ON public.review_cycles
    FOR EACH ROW EXECUTE FUNCTION public.pms_review_cycle_forward_only();

CREATE OR REPLACE FUNCTION public.pms_review_step(p_status text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_position(ARRAY['NOT_STARTED', 'IN_PROGRESS', 'SUBMITTED', 'CALIBRATED',
                                'FINALIZED', 'SHARED', 'ACKNOWLEDGED'], p_status)
$$;

CREATE OR REPLACE FUNCTION public.pms_review_forward_only() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    IF public.pms_review_step(NEW.status) < public.pms_review_step(OLD.status) THEN
        RAISE EXCEPTION 'review % cannot go back from % to %', OLD.id, OLD.status, NEW.status;
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER review_forward_only BEFORE UPDATE OF status ON public.performance_reviews
    FOR EACH ROW EXECUTE FUNCTION public.pms_review_forward_only();
