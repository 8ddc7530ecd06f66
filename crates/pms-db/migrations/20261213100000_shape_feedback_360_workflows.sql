-- 360 feedback over the API (issue 20, item 3). The rules (which cycle, nomination and request
-- status may follow which, the conflict-of-interest check, answers only while collecting, the
-- aggregation with its anonymity threshold) live in sql/replaceable/079_api_d_*.sql; this
-- migration adds the one setting they need and puts the 360 tables under the audit trail.

-- Whether a rater may rate someone above them in the reporting chain (upward feedback). Where
-- the cycle forbids it, nominating anyone to rate one of their own managers is refused.
ALTER TABLE feedback_360_cycles ADD COLUMN forbid_rating_managers boolean NOT NULL DEFAULT true;
COMMENT ON COLUMN feedback_360_cycles.forbid_rating_managers IS 'refuses a rater who reports (directly or not) to the subject: nobody rates their own manager chain';

-- Every write of these tables is audited, naming the acting person (app.user_id).
SELECT pms_meta.enable_audit(v.t, v.e)
FROM (VALUES ('feedback_360_questionnaires'::regclass, 'ThreeSixtyQuestionnaire'),
             ('feedback_360_questions'::regclass, 'ThreeSixtyQuestion'),
             ('feedback_360_cycles'::regclass, 'ThreeSixtyCycle'),
             ('feedback_360_nominations'::regclass, 'ThreeSixtyNomination'),
             ('feedback_360_requests'::regclass, 'ThreeSixtyRequest'),
             ('feedback_360_aggregations'::regclass, 'ThreeSixtyAggregation'),
             ('feedback_360_gap_analyses'::regclass, 'ThreeSixtyGapAnalysis')) AS v(t, e)
WHERE NOT EXISTS (SELECT 1 FROM pms_meta.audited_tables a WHERE a.table_name = v.t::text);

-- An answer is its rater's: the trail records that it was written, changed or deleted, by whom
-- and on which request, with the rating and the words withheld (the fourth argument of
-- audit_row_change names the columns whose values the trail does not keep).
SELECT pms_meta.enable_audit('feedback_360_responses'::regclass, 'ThreeSixtyResponse');
DROP TRIGGER audit_row_change ON feedback_360_responses;
CREATE TRIGGER audit_row_change AFTER INSERT OR UPDATE OR DELETE ON feedback_360_responses FOR EACH ROW
    EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'ThreeSixtyResponse', 'rating,answer_text');
ALTER TABLE feedback_360_responses ENABLE ALWAYS TRIGGER audit_row_change;
