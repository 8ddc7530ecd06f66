-- The 360 feedback workflows (issue 20, item 3), kept by the database whatever the caller. A
-- refused change raises P0001 with a sentence and a HINT naming the reason, which the API
-- returns with that code (409 unless said otherwise), the transaction rolled back:
--   invalid_transition   the status may not follow the current one (or an unchangeable column moved);
--   record_closed        the cycle, nomination or request is final and refuses the change;
--   cycle_phase          the cycle's status does not allow it (nominating, answering);
--   questionnaire_not_ready  a cycle is launched with a published questionnaire that has questions;
--   conflict_of_interest the rater reports to the subject and the cycle forbids rating one's managers;
--   self_as_rater        the subject is nominated as anything but SELF (422 in the API);
--   not_approver         approving needs the subject's chain (FEEDBACK delegates too) or HR (403);
--   not_rater            a request is opened, answered or declined by its rater only (403);
--   answers_missing      a request is submitted with a required question unanswered (422).
-- The platform's own roles (seeds, erasure, restores) are not held to the moves.
--
-- Cycles: DRAFT -> NOMINATING (launch) -> COLLECTING (requests sent to approved raters) ->
-- CLOSED (open requests expire, the aggregation runs); CANCELLED from any open status.

CREATE OR REPLACE FUNCTION public.pms_feedback_360_cycle_workflow() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    v_platform boolean := current_user IN ('pms_owner', 'pms_maintenance');
BEGIN
    IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'DRAFT' AND NOT v_platform THEN
            RAISE EXCEPTION 'a new 360 cycle is a DRAFT, not %', NEW.status USING HINT = 'invalid_transition';
        END IF;
        RETURN NEW;
    END IF;
    IF v_platform AND NEW.status = OLD.status THEN
        RETURN NEW;
    END IF;
    IF OLD.status IN ('CLOSED', 'CANCELLED') THEN
        RAISE EXCEPTION '360 cycle % is % and cannot change', OLD.id, OLD.status USING HINT = 'record_closed';
    END IF;
    IF OLD.status <> 'DRAFT' AND (NEW.questionnaire_id, NEW.min_respondents, NEW.forbid_rating_managers)
           IS DISTINCT FROM (OLD.questionnaire_id, OLD.min_respondents, OLD.forbid_rating_managers) THEN
        RAISE EXCEPTION '360 cycle % was launched: its questionnaire, threshold and rules are fixed', OLD.id
            USING HINT = 'cycle_phase';
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        IF NOT (OLD.status = 'DRAFT' AND NEW.status IN ('NOMINATING', 'CANCELLED')
                OR OLD.status = 'NOMINATING' AND NEW.status IN ('COLLECTING', 'CANCELLED')
                OR OLD.status = 'COLLECTING' AND NEW.status IN ('CLOSED', 'CANCELLED')) THEN
            RAISE EXCEPTION '360 cycle % cannot move from % to %: DRAFT -> NOMINATING -> COLLECTING -> CLOSED, or CANCELLED',
                OLD.id, OLD.status, NEW.status USING HINT = 'invalid_transition';
        END IF;
        IF NEW.status = 'NOMINATING' AND NOT EXISTS (
               SELECT 1 FROM public.feedback_360_questionnaires qn
                WHERE qn.tenant_id = NEW.tenant_id AND qn.id = NEW.questionnaire_id AND qn.status = 'PUBLISHED'
                  AND qn.deleted_at IS NULL
                  AND EXISTS (SELECT 1 FROM public.feedback_360_questions q
                               WHERE q.tenant_id = qn.tenant_id AND q.questionnaire_id = qn.id)) THEN
            RAISE EXCEPTION '360 cycle % needs a published questionnaire with questions to be launched', OLD.id
                USING HINT = 'questionnaire_not_ready';
        END IF;
    END IF;
    RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER feedback_360_cycle_workflow BEFORE INSERT OR UPDATE ON public.feedback_360_cycles
    FOR EACH ROW EXECUTE FUNCTION public.pms_feedback_360_cycle_workflow();

-- Requests to every approved rater of a cycle (or of one nomination) that has none yet, due at
-- the end of the cycle's closing day (UTC). Returns how many were sent.
CREATE OR REPLACE FUNCTION public.pms_feedback_360_send_requests(p_cycle uuid, p_nomination uuid DEFAULT NULL)
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_sent integer;
BEGIN
    INSERT INTO public.feedback_360_requests (tenant_id, cycle_id, nomination_id, subject_id, rater_id, status, sent_at, due_at)
    SELECT n.tenant_id, n.cycle_id, n.id, n.subject_id, n.nominee_id, 'SENT', now(),
           ((c.closes_on + 1)::timestamp AT TIME ZONE 'UTC')
      FROM public.feedback_360_nominations n
      JOIN public.feedback_360_cycles c ON c.tenant_id = n.tenant_id AND c.id = n.cycle_id
     WHERE n.tenant_id = public.pms_current_tenant() AND n.cycle_id = p_cycle AND c.status = 'COLLECTING'
       AND n.status = 'APPROVED' AND (p_nomination IS NULL OR n.id = p_nomination)
       AND NOT EXISTS (SELECT 1 FROM public.feedback_360_requests q WHERE q.tenant_id = n.tenant_id AND q.nomination_id = n.id);
    GET DIAGNOSTICS v_sent = ROW_COUNT;
    RETURN v_sent;
END
$$;
REVOKE ALL ON FUNCTION public.pms_feedback_360_send_requests(uuid, uuid) FROM PUBLIC;

-- What a cycle's move sets off: collecting sends the requests; closing or cancelling expires
-- the open ones; closing aggregates (079_api_d_02_aggregation.sql). As the owner, so that it
-- reaches requests whoever acts (the cycle's writers are HR; the policies confine the rest).
CREATE OR REPLACE FUNCTION public.pms_feedback_360_cycle_moved() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NEW.status = OLD.status THEN
        RETURN NULL;
    END IF;
    IF NEW.status = 'COLLECTING' THEN
        PERFORM public.pms_feedback_360_send_requests(NEW.id);
    ELSIF NEW.status IN ('CLOSED', 'CANCELLED') THEN
        UPDATE public.feedback_360_requests q SET status = 'EXPIRED'
         WHERE q.tenant_id = NEW.tenant_id AND q.cycle_id = NEW.id AND q.status IN ('SENT', 'OPENED');
        IF NEW.status = 'CLOSED' THEN
            PERFORM public.pms_feedback_360_aggregate(NEW.id, now());
        END IF;
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION public.pms_feedback_360_cycle_moved() FROM PUBLIC;
CREATE OR REPLACE TRIGGER feedback_360_cycle_moved AFTER UPDATE OF status ON public.feedback_360_cycles
    FOR EACH ROW EXECUTE FUNCTION public.pms_feedback_360_cycle_moved();

-- Nominations: PENDING -> APPROVED or DECLINED (by the subject's chain or HR); made, changed and
-- withdrawn (while PENDING) while the cycle is NOMINATING or COLLECTING. The subject rates
-- themself as SELF and nobody else is SELF; where the cycle forbids it, nobody rates a person
-- above them in the reporting chain (checked when nominated and again when approved).
CREATE OR REPLACE FUNCTION public.pms_feedback_360_nomination_rules() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    v_platform boolean := current_user IN ('pms_owner', 'pms_maintenance');
    v_row record;
    v_cycle record;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN v_row := OLD; ELSE v_row := NEW; END IF;
    SELECT c.status, c.forbid_rating_managers INTO v_cycle FROM public.feedback_360_cycles c
     WHERE c.tenant_id = v_row.tenant_id AND c.id = v_row.cycle_id;
    IF v_platform THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    IF v_cycle.status NOT IN ('NOMINATING', 'COLLECTING') THEN
        RAISE EXCEPTION 'the nominations of a % 360 cycle cannot change', v_cycle.status USING HINT = 'cycle_phase';
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'PENDING' THEN
            RAISE EXCEPTION 'nomination % is %: only a pending nomination is withdrawn', OLD.id, OLD.status
                USING HINT = 'record_closed';
        END IF;
        RETURN OLD;
    END IF;
    IF TG_OP = 'INSERT' AND NEW.status <> 'PENDING' THEN
        RAISE EXCEPTION 'a new nomination is PENDING, not %', NEW.status USING HINT = 'invalid_transition';
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF (NEW.cycle_id, NEW.subject_id, NEW.nominee_id, NEW.nominated_by)
           IS DISTINCT FROM (OLD.cycle_id, OLD.subject_id, OLD.nominee_id, OLD.nominated_by) THEN
            RAISE EXCEPTION 'nomination % keeps its cycle, subject, nominee and nominator', OLD.id
                USING HINT = 'invalid_transition';
        END IF;
        IF OLD.status <> 'PENDING' THEN
            RAISE EXCEPTION 'nomination % is % and cannot change', OLD.id, OLD.status USING HINT = 'record_closed';
        END IF;
        IF NEW.status <> OLD.status AND NOT (public.pms_is_tenant_hr()
               OR NEW.subject_id IN (SELECT m FROM public.pms_managed_people('FEEDBACK') m)) THEN
            RAISE EXCEPTION 'a nomination is approved or declined by the subject''s managers or HR' USING HINT = 'not_approver';
        END IF;
    END IF;
    IF NEW.nominee_id = NEW.subject_id AND NEW.relationship <> 'SELF' THEN
        RAISE EXCEPTION 'the subject rates themself as SELF only, not as %', NEW.relationship USING HINT = 'self_as_rater';
    END IF;
    IF NEW.nominee_id <> NEW.subject_id AND NEW.relationship = 'SELF' THEN
        RAISE EXCEPTION 'only the subject is their own SELF rater' USING HINT = 'self_as_rater';
    END IF;
    IF v_cycle.forbid_rating_managers AND NEW.status <> 'DECLINED' AND EXISTS (
           SELECT 1 FROM public.reporting_chain rc
            WHERE rc.tenant_id = NEW.tenant_id AND rc.ancestor_id = NEW.subject_id
              AND rc.descendant_id = NEW.nominee_id AND rc.depth > 0) THEN
        RAISE EXCEPTION 'the nominee reports to the subject, and this cycle forbids rating one''s own managers'
            USING HINT = 'conflict_of_interest';
    END IF;
    RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER feedback_360_nomination_rules BEFORE INSERT OR UPDATE OR DELETE ON public.feedback_360_nominations
    FOR EACH ROW EXECUTE FUNCTION public.pms_feedback_360_nomination_rules();

-- An approval in a collecting cycle sends its request at once.
CREATE OR REPLACE FUNCTION public.pms_feedback_360_nomination_approved() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NEW.status = 'APPROVED' AND OLD.status IS DISTINCT FROM 'APPROVED' THEN
        PERFORM public.pms_feedback_360_send_requests(NEW.cycle_id, NEW.id);
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION public.pms_feedback_360_nomination_approved() FROM PUBLIC;
CREATE OR REPLACE TRIGGER feedback_360_nomination_approved AFTER UPDATE OF status ON public.feedback_360_nominations
    FOR EACH ROW EXECUTE FUNCTION public.pms_feedback_360_nomination_approved();

-- Requests: SENT -> OPENED (answers saved) -> SUBMITTED; DECLINED or EXPIRED from SENT or
-- OPENED. Opened, answered and declined by the rater while the cycle is COLLECTING; submitted
-- only with every required question answered. SUBMITTED, DECLINED and EXPIRED are final.
CREATE OR REPLACE FUNCTION public.pms_feedback_360_request_workflow() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    v_cycle_status text;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;
    IF current_user IN ('pms_owner', 'pms_maintenance') AND (TG_OP = 'INSERT' OR NEW.status = OLD.status OR NEW.status = 'EXPIRED') THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'SENT' THEN
            RAISE EXCEPTION 'a new 360 request is SENT, not %', NEW.status USING HINT = 'invalid_transition';
        END IF;
        RETURN NEW;
    END IF;
    IF (NEW.cycle_id, NEW.nomination_id, NEW.subject_id, NEW.rater_id) IS DISTINCT FROM (OLD.cycle_id, OLD.nomination_id, OLD.subject_id, OLD.rater_id) THEN
        RAISE EXCEPTION '360 request % keeps its cycle, subject and rater', OLD.id USING HINT = 'invalid_transition';
    END IF;
    IF OLD.status IN ('SUBMITTED', 'DECLINED', 'EXPIRED') THEN
        RAISE EXCEPTION '360 request % is % and cannot change', OLD.id, OLD.status USING HINT = 'record_closed';
    END IF;
    IF NEW.status = OLD.status THEN
        RETURN NEW;
    END IF;
    IF NOT (OLD.status = 'SENT' AND NEW.status IN ('OPENED', 'SUBMITTED', 'DECLINED', 'EXPIRED')
            OR OLD.status = 'OPENED' AND NEW.status IN ('SUBMITTED', 'DECLINED', 'EXPIRED')) THEN
        RAISE EXCEPTION '360 request % cannot move from % to %', OLD.id, OLD.status, NEW.status USING HINT = 'invalid_transition';
    END IF;
    IF NEW.status <> 'EXPIRED' THEN
        IF NEW.rater_id IS DISTINCT FROM public.pms_acting_user() THEN
            RAISE EXCEPTION 'a 360 request is answered or declined by its rater only' USING HINT = 'not_rater';
        END IF;
        SELECT c.status INTO v_cycle_status FROM public.feedback_360_cycles c WHERE c.tenant_id = NEW.tenant_id AND c.id = NEW.cycle_id;
        IF v_cycle_status <> 'COLLECTING' THEN
            RAISE EXCEPTION 'the 360 cycle is %: requests are answered while it is COLLECTING', v_cycle_status USING HINT = 'cycle_phase';
        END IF;
    END IF;
    IF NEW.status = 'SUBMITTED' THEN
        IF EXISTS (SELECT 1 FROM public.feedback_360_cycles c
                     JOIN public.feedback_360_questions q ON q.tenant_id = c.tenant_id AND q.questionnaire_id = c.questionnaire_id
                    WHERE c.tenant_id = NEW.tenant_id AND c.id = NEW.cycle_id AND q.is_required
                      AND NOT EXISTS (SELECT 1 FROM public.feedback_360_responses r
                                       WHERE r.tenant_id = NEW.tenant_id AND r.request_id = NEW.id AND r.question_id = q.id)) THEN
            RAISE EXCEPTION '360 request % has required questions unanswered', OLD.id USING HINT = 'answers_missing';
        END IF;
        NEW.submitted_at := coalesce(NEW.submitted_at, now());
    END IF;
    RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER feedback_360_request_workflow BEFORE INSERT OR UPDATE ON public.feedback_360_requests
    FOR EACH ROW EXECUTE FUNCTION public.pms_feedback_360_request_workflow();

-- Answers: to a question of the cycle's questionnaire, in its form (a RATING question a rating
-- from 1 to 5, the others words), while the request is SENT or OPENED and the cycle COLLECTING.
CREATE OR REPLACE FUNCTION public.pms_feedback_360_response_rules() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    v_row record;
    v_req record;
    v_type text;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;
    IF current_user IN ('pms_owner', 'pms_maintenance') THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN v_row := OLD; ELSE v_row := NEW; END IF;
    SELECT q.status, c.status AS cycle_status, c.questionnaire_id INTO v_req
      FROM public.feedback_360_requests q JOIN public.feedback_360_cycles c ON c.tenant_id = q.tenant_id AND c.id = q.cycle_id
     WHERE q.tenant_id = v_row.tenant_id AND q.id = v_row.request_id;
    IF v_req.status NOT IN ('SENT', 'OPENED') THEN
        RAISE EXCEPTION '360 request % is %: its answers cannot change', v_row.request_id, v_req.status USING HINT = 'record_closed';
    END IF;
    IF v_req.cycle_status <> 'COLLECTING' THEN
        RAISE EXCEPTION 'the 360 cycle is %: answers are given while it is COLLECTING', v_req.cycle_status USING HINT = 'cycle_phase';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND (NEW.request_id, NEW.question_id) IS DISTINCT FROM (OLD.request_id, OLD.question_id) THEN
        RAISE EXCEPTION 'an answer keeps its request and question' USING HINT = 'invalid_transition';
    END IF;
    SELECT q.answer_type INTO v_type FROM public.feedback_360_questions q
     WHERE q.tenant_id = NEW.tenant_id AND q.id = NEW.question_id AND q.questionnaire_id = v_req.questionnaire_id;
    IF v_type IS NULL THEN
        RAISE EXCEPTION 'question % is not one of this cycle''s questionnaire', NEW.question_id USING ERRCODE = 'check_violation';
    END IF;
    IF v_type = 'RATING' AND NEW.rating IS NULL OR v_type <> 'RATING' AND (NEW.rating IS NOT NULL OR nullif(btrim(NEW.answer_text), '') IS NULL) THEN
        RAISE EXCEPTION 'question % takes %', NEW.question_id, CASE v_type WHEN 'RATING' THEN 'a rating from 1 to 5' ELSE 'words, not a rating' END
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER feedback_360_response_rules BEFORE INSERT OR UPDATE OR DELETE ON public.feedback_360_responses
    FOR EACH ROW EXECUTE FUNCTION public.pms_feedback_360_response_rules();

-- Questions change with their questionnaire while it is a DRAFT; a questionnaire moves
-- DRAFT -> PUBLISHED -> RETIRED.
CREATE OR REPLACE FUNCTION public.pms_feedback_360_questionnaire_rules() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    v_status text;
    v_row record;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;
    IF current_user IN ('pms_owner', 'pms_maintenance') THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    IF TG_TABLE_NAME = 'feedback_360_questionnaires' THEN
        IF TG_OP = 'INSERT' THEN
            IF NEW.status <> 'DRAFT' THEN
                RAISE EXCEPTION 'a new questionnaire is a DRAFT, not %', NEW.status USING HINT = 'invalid_transition';
            END IF;
            RETURN NEW;
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        IF NEW.status <> OLD.status AND NOT (OLD.status = 'DRAFT' AND NEW.status = 'PUBLISHED'
                                             OR OLD.status = 'PUBLISHED' AND NEW.status = 'RETIRED') THEN
            RAISE EXCEPTION 'questionnaire % cannot move from % to %: DRAFT -> PUBLISHED -> RETIRED', OLD.id, OLD.status, NEW.status
                USING HINT = CASE WHEN OLD.status = 'RETIRED' THEN 'record_closed' ELSE 'invalid_transition' END;
        END IF;
        IF NEW.status = 'PUBLISHED' AND OLD.status = 'DRAFT' AND NOT EXISTS (
               SELECT 1 FROM public.feedback_360_questions q WHERE q.tenant_id = NEW.tenant_id AND q.questionnaire_id = NEW.id) THEN
            RAISE EXCEPTION 'questionnaire % has no questions to publish', OLD.id USING HINT = 'questionnaire_not_ready';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN v_row := OLD; ELSE v_row := NEW; END IF;
    SELECT qn.status INTO v_status FROM public.feedback_360_questionnaires qn
     WHERE qn.tenant_id = v_row.tenant_id AND qn.id = v_row.questionnaire_id;
    IF v_status <> 'DRAFT' THEN
        RAISE EXCEPTION 'the questions of a % questionnaire cannot change', v_status USING HINT = 'record_closed';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER feedback_360_questionnaire_rules BEFORE INSERT OR UPDATE OR DELETE ON public.feedback_360_questionnaires
    FOR EACH ROW EXECUTE FUNCTION public.pms_feedback_360_questionnaire_rules();
CREATE OR REPLACE TRIGGER feedback_360_question_rules BEFORE INSERT OR UPDATE OR DELETE ON public.feedback_360_questions
    FOR EACH ROW EXECUTE FUNCTION public.pms_feedback_360_questionnaire_rules();
