-- Calibration and administration over the API (issue 20, part 2). The rules (which session
-- status may follow which, what a locked cycle refuses, the rationale of a moved rating) are
-- triggers in sql/replaceable/078_api_c_calibration.sql; this migration adds the one column
-- they need and puts the calibration and retention tables under the audit trail.

-- Finalizing a cycle's calibration locks its ratings: from then on neither a review's rating
-- nor a calibration rating of the cycle changes. The lock is never lifted.
ALTER TABLE review_cycles ADD COLUMN calibration_locked_at timestamptz;
COMMENT ON COLUMN review_cycles.calibration_locked_at IS 'when the calibration of the cycle was finalized; its ratings are locked from then on';

-- A rating moved in calibration says why, in words (the original CHECK let a blank rationale through).
ALTER TABLE calibration_ratings ADD CONSTRAINT calibration_ratings_rationale_not_blank
    CHECK (adjusted_rating IS NULL OR adjusted_rating = original_rating OR length(btrim(rationale)) > 0);

-- Every write of these tables is audited, naming the acting person (app.user_id).
SELECT pms_meta.enable_audit(v.t, v.e)
FROM (VALUES ('review_cycles'::regclass, 'ReviewCycle'),
             ('calibration_sessions'::regclass, 'CalibrationSession'),
             ('calibration_participants'::regclass, 'CalibrationParticipant'),
             ('legal_holds'::regclass, 'LegalHold'),
             ('retention_policy_overrides'::regclass, 'RetentionPolicyOverride')) AS v(t, e)
WHERE NOT EXISTS (SELECT 1 FROM pms_meta.audited_tables a WHERE a.table_name = v.t::text);

-- An administrator may disable an account (and enable it again): a DISABLED person keeps their
-- records and place in the organisation but cannot sign in; their sessions end at once.
ALTER TABLE users DROP CONSTRAINT users_status_check;
ALTER TABLE users ADD CONSTRAINT users_status_check
    CHECK (status IN ('INVITED', 'ACTIVE', 'ON_LEAVE', 'DISABLED', 'TERMINATED'));
