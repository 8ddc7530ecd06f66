-- 360 feedback requested: the rater of a new 360 request learns whose round it is and when it
-- is due, in the transaction that sends it (a cycle moving to COLLECTING, or a nomination
-- approved in a collecting cycle), through pms_notify (076_api_a_notify.sql): their
-- preference for 'feedback_360.requested' decides in the app and by email; nothing for the
-- person who acted, nor when no person acts.
CREATE OR REPLACE FUNCTION public.pms_feedback_360_request_notify() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF public.pms_current_user_id() IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM public.pms_notify(NEW.rater_id, 'feedback_360.requested',
        CASE WHEN NEW.rater_id = NEW.subject_id THEN 'Your 360 self-assessment is requested'
             ELSE format('360 feedback on %s is requested', public.pms_person_name(NEW.subject_id)) END,
        CASE WHEN NEW.due_at IS NOT NULL
             THEN format('Due by %s', to_char(NEW.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')) END,
        'feedback_360_request', NEW.id);
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION public.pms_feedback_360_request_notify() FROM PUBLIC;
CREATE OR REPLACE TRIGGER feedback_360_request_notify AFTER INSERT ON public.feedback_360_requests
    FOR EACH ROW EXECUTE FUNCTION public.pms_feedback_360_request_notify();
