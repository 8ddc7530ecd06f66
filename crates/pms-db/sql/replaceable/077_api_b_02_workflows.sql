-- The promotion decision's approval workflow, kept by the database whatever the caller:
--   PROPOSED -> APPROVED | REJECTED   by HR or the person's chain, never by its proposer;
--   APPROVED -> EFFECTIVE             by HR (the person's level and job title become the new ones);
-- REJECTED and EFFECTIVE are final. Every other change of status is refused (P0001, which the
-- API answers with 409), and the approver and time are set here, not by the caller. The
-- platform's own roles (no acting user: jobs, erasure) are not asked for an approver.

CREATE OR REPLACE FUNCTION public.pms_promotion_decision_next(p_from text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE p_from
        WHEN 'PROPOSED' THEN ARRAY['APPROVED', 'REJECTED']
        WHEN 'APPROVED' THEN ARRAY['EFFECTIVE']
        ELSE ARRAY[]::text[] END
$$;

CREATE OR REPLACE FUNCTION public.pms_promotion_decision_workflow() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    v_me uuid := public.pms_acting_user();
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'PROPOSED' AND v_me IS NOT NULL THEN
            RAISE EXCEPTION 'a promotion decision starts as PROPOSED, not %', NEW.status;
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.status = OLD.status THEN
        -- A final decision keeps what was decided (its people and words may still be
        -- pseudonymised and scrubbed by an erasure).
        IF OLD.status IN ('REJECTED', 'EFFECTIVE') AND v_me IS NOT NULL
           AND (NEW.to_level, NEW.effective_date) IS DISTINCT FROM (OLD.to_level, OLD.effective_date) THEN
            RAISE EXCEPTION 'promotion decision % is % and its level and date cannot change', OLD.id, OLD.status;
        END IF;
        RETURN NEW;
    END IF;
    IF NOT NEW.status = ANY (public.pms_promotion_decision_next(OLD.status)) THEN
        RAISE EXCEPTION '%', format('promotion decision %s cannot move from %s to %s%s', OLD.id, OLD.status, NEW.status,
            CASE WHEN cardinality(public.pms_promotion_decision_next(OLD.status)) = 0 THEN ': it is final'
                 ELSE ': the next steps are ' || array_to_string(public.pms_promotion_decision_next(OLD.status), ', ') END);
    END IF;
    IF v_me IS NOT NULL THEN
        IF OLD.status = 'PROPOSED' THEN
            IF v_me = OLD.decided_by THEN
                RAISE EXCEPTION 'promotion decision %: its proposer cannot also approve or reject it', OLD.id;
            END IF;
            NEW.approved_by := v_me;
            NEW.approved_at := now();
        ELSIF NEW.status = 'EFFECTIVE' AND NOT public.pms_is_tenant_hr() THEN
            RAISE EXCEPTION 'promotion decision %: only HR makes a promotion effective', OLD.id;
        END IF;
    END IF;
    -- In effect: the person now holds the new level and title.
    IF NEW.status = 'EFFECTIVE' THEN
        UPDATE public.users SET level = NEW.to_level, job_title = NEW.to_title
         WHERE tenant_id = NEW.tenant_id AND id = NEW.employee_id;
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER promotion_decision_workflow BEFORE INSERT OR UPDATE ON public.promotion_decisions
    FOR EACH ROW EXECUTE FUNCTION public.pms_promotion_decision_workflow();

-- An engagement survey moves DRAFT -> OPEN -> CLOSED -> ARCHIVED, one step at a time.
CREATE OR REPLACE FUNCTION public.pms_survey_forward_only() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    IF NEW.status = OLD.status THEN
        RETURN NEW;
    END IF;
    IF array_position(ARRAY['DRAFT', 'OPEN', 'CLOSED', 'ARCHIVED'], NEW.status)
       <> array_position(ARRAY['DRAFT', 'OPEN', 'CLOSED', 'ARCHIVED'], OLD.status) + 1 THEN
        RAISE EXCEPTION 'survey % cannot move from % to %', OLD.id, OLD.status, NEW.status;
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER survey_forward_only BEFORE UPDATE OF status ON public.engagement_surveys
    FOR EACH ROW EXECUTE FUNCTION public.pms_survey_forward_only();
