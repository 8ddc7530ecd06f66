-- Notifications sent by the workflows (issue 20): one-on-one scheduled or cancelled, PIP
-- check-in due, review due, feedback received or requested. They are written by triggers in
-- the transaction of the change that causes them, so a rolled-back change sends nothing. Only
-- changes made by a person (app.user_id set) notify: bulk loads, seeds and maintenance jobs do
-- not. Nobody is notified of their own act.

-- The events a notification or a preference may name, with what each means.
CREATE OR REPLACE FUNCTION public.pms_notification_events() RETURNS TABLE (event text, description text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    VALUES ('one_on_one.scheduled', 'a one-on-one with you was scheduled or moved'),
           ('one_on_one.cancelled', 'a one-on-one with you was cancelled'),
           ('pip.check_in_due', 'a check-in of a performance improvement plan is due'),
           ('review.due', 'a review you are to write was assigned, with its due date'),
           ('feedback.received', 'someone gave you feedback'),
           ('feedback.requested', 'someone asked you for feedback'),
           ('feedback_360.requested', 'you are asked to rate someone in a 360 feedback round')
$$;

-- Sends one workflow notification to p_recipient of the current tenant, as their preference
-- for p_event says: in the app (delivered at once) unless they turned it off, and by email
-- (PENDING, for the delivery worker) when they turned it on. Nothing for the acting user
-- themself or when no person acts. Callable by the workflow triggers only (they run as the
-- owner): the application role cannot send notifications of its own.
CREATE OR REPLACE FUNCTION public.pms_notify(p_recipient uuid, p_event text, p_title text, p_body text,
                                             p_entity_type text, p_entity_id uuid) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_tenant uuid := public.pms_current_tenant();
    v_actor uuid := public.pms_current_user_id();
    v_in_app boolean := true;
    v_email boolean := false;
    v_n integer := 0;
BEGIN
    IF v_tenant IS NULL OR v_actor IS NULL OR p_recipient IS NULL OR p_recipient = v_actor THEN
        RETURN 0;
    END IF;
    SELECT np.in_app, np.email INTO v_in_app, v_email
      FROM public.notification_preferences np
     WHERE np.tenant_id = v_tenant AND np.user_id = p_recipient AND np.event = p_event;
    v_in_app := coalesce(v_in_app, true);
    v_email := coalesce(v_email, false);
    IF v_in_app THEN
        INSERT INTO public.notifications (tenant_id, recipient_id, channel, status, title, body, entity_type, entity_id, event, sent_at)
        VALUES (v_tenant, p_recipient, 'IN_APP', 'DELIVERED', left(p_title, 300), p_body, p_entity_type, p_entity_id, p_event, now());
        v_n := v_n + 1;
    END IF;
    IF v_email THEN
        INSERT INTO public.notifications (tenant_id, recipient_id, channel, status, title, body, entity_type, entity_id, event)
        VALUES (v_tenant, p_recipient, 'EMAIL', 'PENDING', left(p_title, 300), p_body, p_entity_type, p_entity_id, p_event);
        v_n := v_n + 1;
    END IF;
    RETURN v_n;
END
$$;
REVOKE ALL ON FUNCTION public.pms_notify(uuid, text, text, text, text, uuid) FROM PUBLIC, pms_app, pms_readonly, pms_maintenance;

-- A person's name as notifications show it.
CREATE OR REPLACE FUNCTION public.pms_person_name(p_person uuid) RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT coalesce(u.display_name, u.first_name || ' ' || u.last_name)
      FROM public.users u WHERE u.tenant_id = public.pms_current_tenant() AND u.id = p_person
$$;
REVOKE ALL ON FUNCTION public.pms_person_name(uuid) FROM PUBLIC, pms_app, pms_readonly, pms_maintenance;

-- One-on-one scheduled (or moved) and cancelled: the other person of the meeting (both when
-- someone else, HR or a skip-level manager, made the change).
CREATE OR REPLACE FUNCTION public.pms_one_on_one_notify() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_who uuid;
BEGIN
    IF public.pms_current_user_id() IS NULL THEN
        RETURN NULL;
    END IF;
    FOREACH v_who IN ARRAY ARRAY[NEW.manager_id, NEW.employee_id] LOOP
        IF TG_OP = 'INSERT' AND NEW.status = 'SCHEDULED'
           OR TG_OP = 'UPDATE' AND NEW.status = 'SCHEDULED' AND NEW.scheduled_at IS DISTINCT FROM OLD.scheduled_at THEN
            PERFORM public.pms_notify(v_who, 'one_on_one.scheduled',
                format('One-on-one with %s on %s', public.pms_person_name(CASE WHEN v_who = NEW.manager_id THEN NEW.employee_id ELSE NEW.manager_id END),
                       to_char(NEW.scheduled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')),
                NULL, 'one_on_one', NEW.id);
        ELSIF TG_OP = 'UPDATE' AND NEW.status = 'CANCELLED' AND OLD.status <> 'CANCELLED' THEN
            PERFORM public.pms_notify(v_who, 'one_on_one.cancelled',
                format('One-on-one with %s on %s was cancelled',
                       public.pms_person_name(CASE WHEN v_who = NEW.manager_id THEN NEW.employee_id ELSE NEW.manager_id END),
                       to_char(NEW.scheduled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')),
                NEW.cancellation_reason, 'one_on_one', NEW.id);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION public.pms_one_on_one_notify() FROM PUBLIC;
CREATE OR REPLACE TRIGGER one_on_one_notify AFTER INSERT OR UPDATE OF status, scheduled_at ON public.one_on_ones
    FOR EACH ROW EXECUTE FUNCTION public.pms_one_on_one_notify();

-- PIP check-in due: when a plan becomes ACTIVE, and after each check-in, its manager (and the
-- person) learn when the next check-in is due (the plan's next_check_in_on, kept by
-- 076_api_a_workflows.sql).
CREATE OR REPLACE FUNCTION public.pms_pip_notify() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_who uuid;
BEGIN
    IF public.pms_current_user_id() IS NULL OR NEW.next_check_in_on IS NULL
       OR NEW.next_check_in_on IS NOT DISTINCT FROM OLD.next_check_in_on THEN
        RETURN NULL;
    END IF;
    FOREACH v_who IN ARRAY ARRAY[NEW.manager_id, NEW.employee_id] LOOP
        PERFORM public.pms_notify(v_who, 'pip.check_in_due',
            format('PIP check-in due on %s', to_char(NEW.next_check_in_on, 'YYYY-MM-DD')),
            CASE WHEN v_who = NEW.manager_id THEN format('Performance improvement plan of %s', public.pms_person_name(NEW.employee_id)) END,
            'pip', NEW.id);
    END LOOP;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION public.pms_pip_notify() FROM PUBLIC;
CREATE OR REPLACE TRIGGER pip_notify AFTER UPDATE ON public.performance_improvement_plans
    FOR EACH ROW EXECUTE FUNCTION public.pms_pip_notify();

-- Review due: the reviewer of a new review with a due date.
CREATE OR REPLACE FUNCTION public.pms_review_notify() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF public.pms_current_user_id() IS NOT NULL AND NEW.reviewer_id IS NOT NULL AND NEW.due_date IS NOT NULL THEN
        PERFORM public.pms_notify(NEW.reviewer_id, 'review.due',
            format('Review of %s due on %s', public.pms_person_name(NEW.reviewee_id), to_char(NEW.due_date, 'YYYY-MM-DD')),
            NULL, 'performance_review', NEW.id);
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION public.pms_review_notify() FROM PUBLIC;
CREATE OR REPLACE TRIGGER review_notify AFTER INSERT ON public.performance_reviews
    FOR EACH ROW EXECUTE FUNCTION public.pms_review_notify();

-- Feedback received (the recipient; an anonymous giver stays unnamed) and feedback requested
-- (the person asked, who is the request's giver).
CREATE OR REPLACE FUNCTION public.pms_feedback_notify() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF public.pms_current_user_id() IS NULL THEN
        RETURN NULL;
    END IF;
    IF NEW.feedback_type = 'REQUEST' THEN
        PERFORM public.pms_notify(NEW.giver_id, 'feedback.requested',
            format('%s asks for your feedback', public.pms_person_name(NEW.recipient_id)), NULL, 'feedback', NEW.id);
    ELSE
        PERFORM public.pms_notify(NEW.recipient_id, 'feedback.received',
            CASE WHEN NEW.is_anonymous OR NEW.giver_id IS NULL THEN 'You received anonymous feedback'
                 ELSE format('%s gave you feedback', public.pms_person_name(NEW.giver_id)) END,
            NULL, 'feedback', NEW.id);
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION public.pms_feedback_notify() FROM PUBLIC;
CREATE OR REPLACE TRIGGER feedback_notify AFTER INSERT ON public.feedback
    FOR EACH ROW EXECUTE FUNCTION public.pms_feedback_notify();
