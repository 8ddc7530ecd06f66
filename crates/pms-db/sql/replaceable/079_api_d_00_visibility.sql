-- Visibility of 360 feedback (issue 20, item 3), on top of 070_visibility_03_policies.sql
-- (re-applied before this file, in name order; registrations here replace its rows):
--   questionnaires, questions, cycles: every member of the tenant reads them, HR writes them;
--   nominations: the subject, the nominee, whoever nominated, the subject's chain (and its
--     FEEDBACK delegates) and HR read them; the subject, the chain and HR write them (approving
--     is the chain's and HR's alone: 079_api_d_01_workflows.sql);
--   requests and responses: the rater and HR only. Neither the subject nor their chain sees
--     who answered, or what any one person answered: they read the aggregations
--     (070_visibility_03_policies.sql: the subject only above the anonymity threshold), the
--     gap analysis and the comments of groups above the threshold (pms_feedback_360_comments).

SELECT pms_meta.enable_visibility('feedback_360_questionnaires', 'FEEDBACK', NULL,
    $w$ $hr $w$,
    'every member of the tenant', 'HR');
SELECT pms_meta.enable_visibility('feedback_360_questions', 'FEEDBACK', NULL,
    $w$ $hr $w$,
    'every member of the tenant', 'HR');
SELECT pms_meta.enable_visibility('feedback_360_cycles', 'FEEDBACK', NULL,
    $w$ $hr $w$,
    'every member of the tenant', 'HR');
SELECT pms_meta.enable_visibility('feedback_360_nominations', 'FEEDBACK',
    $r$ $hr OR subject_id = $me OR nominee_id = $me OR nominated_by = $me OR subject_id IN $managed(FEEDBACK) $r$,
    $w$ $hr OR subject_id = $me OR subject_id IN $managed(FEEDBACK) $w$,
    'HR; the subject; the nominee; whoever nominated; the subject''s chain and its FEEDBACK delegates',
    'HR; the subject; the subject''s chain and its FEEDBACK delegates; a new nomination names its nominator',
    $i$ nominated_by = $me AND ($hr OR subject_id = $me OR subject_id IN $managed(FEEDBACK)) $i$);
SELECT pms_meta.enable_visibility('feedback_360_requests', 'FEEDBACK',
    $r$ $hr OR rater_id = $me $r$,
    $w$ $hr OR rater_id = $me $w$,
    'HR; the rater (not the subject, not the chain: who answered stays unknown to them)',
    'HR; the rater (answering, declining); a new request: HR (requests are sent by the cycle''s workflow)',
    $i$ $hr $i$);
SELECT pms_meta.enable_visibility('feedback_360_responses', 'FEEDBACK',
    $r$ EXISTS (SELECT 1 FROM public.feedback_360_requests q WHERE q.tenant_id = feedback_360_responses.tenant_id AND q.id = feedback_360_responses.request_id
                  AND ($hr OR q.rater_id = $me)) $r$,
    $w$ EXISTS (SELECT 1 FROM public.feedback_360_requests q WHERE q.tenant_id = feedback_360_responses.tenant_id AND q.id = feedback_360_responses.request_id
                  AND q.rater_id = $me) $w$,
    'HR; the rater (the subject and the chain see the aggregations, never one person''s answers)',
    'the rater');

-- Whether the acting user may read a subject's 360 report: the subject, their chain (and its
-- FEEDBACK delegates) and HR.
CREATE OR REPLACE FUNCTION public.pms_feedback_360_can_see_report(p_subject uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT public.pms_can_see_person(p_subject, 'FEEDBACK') AND EXISTS (
        SELECT 1 FROM public.users u
         WHERE u.tenant_id = public.pms_current_tenant() AND u.id = p_subject AND u.deleted_at IS NULL)
$$;
REVOKE ALL ON FUNCTION public.pms_feedback_360_can_see_report(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.pms_feedback_360_can_see_report(uuid) TO pms_app;

-- The written answers about a subject in a closed cycle, for whoever may read the report, of
-- the rater groups with at least the cycle's minimum of respondents (the subject's own
-- self-assessment always). No rater, request or time is returned, and the order is the text's,
-- never the order of answering. A group below the threshold has no comments at all.
CREATE OR REPLACE FUNCTION public.pms_feedback_360_comments(p_cycle uuid, p_subject uuid)
    RETURNS TABLE (relationship text, question_id uuid, prompt text, answer_text text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    WITH c AS (
        SELECT cy.tenant_id, cy.id, cy.min_respondents FROM public.feedback_360_cycles cy
         WHERE cy.tenant_id = public.pms_current_tenant() AND cy.id = p_cycle AND cy.status = 'CLOSED'
           AND public.pms_feedback_360_can_see_report(p_subject)),
    submitted AS (
        SELECT q.id, q.rater_id, coalesce(n.relationship, 'OTHER') AS rel
          FROM c JOIN public.feedback_360_requests q ON q.tenant_id = c.tenant_id AND q.cycle_id = c.id
          LEFT JOIN public.feedback_360_nominations n ON n.tenant_id = q.tenant_id AND n.id = q.nomination_id
         WHERE q.subject_id = p_subject AND q.status = 'SUBMITTED'),
    shown AS (
        SELECT s.rel FROM submitted s CROSS JOIN c GROUP BY s.rel, c.min_respondents
        HAVING s.rel = 'SELF' OR count(DISTINCT s.rater_id) >= c.min_respondents)
    SELECT s.rel, qu.id, qu.prompt, r.answer_text
      FROM submitted s JOIN shown USING (rel)
      JOIN public.feedback_360_responses r ON r.tenant_id = public.pms_current_tenant() AND r.request_id = s.id
      JOIN public.feedback_360_questions qu ON qu.tenant_id = r.tenant_id AND qu.id = r.question_id
     WHERE nullif(btrim(r.answer_text), '') IS NOT NULL
     ORDER BY s.rel, qu.position, qu.id, r.answer_text
$$;
REVOKE ALL ON FUNCTION public.pms_feedback_360_comments(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.pms_feedback_360_comments(uuid, uuid) TO pms_app;
