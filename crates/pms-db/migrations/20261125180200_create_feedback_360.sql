-- 360-degree feedback: cycles, questionnaires and questions, nominations, requests, responses,
-- aggregations (anonymity holds below a minimum number of respondents) and gap analyses.

CREATE TABLE feedback_360_questionnaires (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL,
    description text,
    status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'PUBLISHED', 'RETIRED')),
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (created_by)
);
COMMENT ON TABLE feedback_360_questionnaires IS '[feedback_360] Question sets for 360 feedback';
CREATE UNIQUE INDEX feedback_360_questionnaires_name_key ON feedback_360_questionnaires (tenant_id, name) WHERE deleted_at IS NULL;
COMMENT ON INDEX feedback_360_questionnaires_name_key IS 'one live questionnaire per name';
CREATE INDEX feedback_360_questionnaires_created_by_fk_idx ON feedback_360_questionnaires (tenant_id, created_by) WHERE created_by IS NOT NULL;
COMMENT ON INDEX feedback_360_questionnaires_created_by_fk_idx IS 'FK created_by -> users: the feedback 360 questionnaires of one user, and the lookup behind ON DELETE of a user row';

CREATE TABLE feedback_360_questions (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    questionnaire_id uuid NOT NULL,
    competency_id uuid,
    position smallint NOT NULL DEFAULT 0,
    prompt text NOT NULL,
    answer_type text NOT NULL DEFAULT 'RATING' CHECK (answer_type IN ('RATING', 'TEXT', 'CHOICE')),
    is_required boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, questionnaire_id) REFERENCES feedback_360_questionnaires (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, competency_id) REFERENCES competencies (tenant_id, id) ON DELETE SET NULL (competency_id)
);
COMMENT ON TABLE feedback_360_questions IS '[feedback_360] A question of a 360 questionnaire, tied to a competency when it rates one';
CREATE INDEX feedback_360_questions_questionnaire_position_idx ON feedback_360_questions (tenant_id, questionnaire_id, position);
COMMENT ON INDEX feedback_360_questions_questionnaire_position_idx IS 'the questions of a questionnaire in order; also FK questionnaire_id -> feedback_360_questionnaires';
CREATE INDEX feedback_360_questions_competency_fk_idx ON feedback_360_questions (tenant_id, competency_id) WHERE competency_id IS NOT NULL;
COMMENT ON INDEX feedback_360_questions_competency_fk_idx IS 'FK competency_id -> competencies: the feedback 360 questions of one competency, and the lookup behind ON DELETE of a competency row';

CREATE TABLE feedback_360_cycles (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL,
    questionnaire_id uuid NOT NULL,
    review_cycle_id uuid,
    status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'NOMINATING', 'COLLECTING', 'CLOSED', 'CANCELLED')),
    min_respondents smallint NOT NULL DEFAULT 3 CHECK (min_respondents >= 1),
    opens_on date NOT NULL,
    closes_on date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (closes_on >= opens_on),
    FOREIGN KEY (tenant_id, questionnaire_id) REFERENCES feedback_360_questionnaires (tenant_id, id),
    FOREIGN KEY (tenant_id, review_cycle_id) REFERENCES review_cycles (tenant_id, id) ON DELETE SET NULL (review_cycle_id)
);
COMMENT ON TABLE feedback_360_cycles IS '[feedback_360] A 360 round: who is reviewed, with which questionnaire, and the anonymity threshold';
CREATE INDEX feedback_360_cycles_status_idx ON feedback_360_cycles (tenant_id, status, closes_on);
COMMENT ON INDEX feedback_360_cycles_status_idx IS 'running 360 rounds by closing date (reminders, auto-close)';
CREATE INDEX feedback_360_cycles_questionnaire_fk_idx ON feedback_360_cycles (tenant_id, questionnaire_id);
COMMENT ON INDEX feedback_360_cycles_questionnaire_fk_idx IS 'FK questionnaire_id -> feedback_360_questionnaires: the feedback 360 cycles of one feedback 360 questionnaire, and the lookup behind ON DELETE of a feedback 360 questionnaire row';
CREATE INDEX feedback_360_cycles_review_cycle_fk_idx ON feedback_360_cycles (tenant_id, review_cycle_id) WHERE review_cycle_id IS NOT NULL;
COMMENT ON INDEX feedback_360_cycles_review_cycle_fk_idx IS 'FK review_cycle_id -> review_cycles: the feedback 360 cycles of one review cycle, and the lookup behind ON DELETE of a review cycle row';

CREATE TABLE feedback_360_nominations (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    cycle_id uuid NOT NULL,
    subject_id uuid NOT NULL,
    nominee_id uuid NOT NULL,
    nominated_by uuid,
    relationship text NOT NULL DEFAULT 'MANAGER' CHECK (relationship IN ('MANAGER', 'PEER', 'DIRECT_REPORT', 'SELF', 'EXTERNAL', 'OTHER')),
    status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'APPROVED', 'DECLINED')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, cycle_id) REFERENCES feedback_360_cycles (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, subject_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, nominee_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, nominated_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (nominated_by)
);
COMMENT ON TABLE feedback_360_nominations IS '[feedback_360] A rater nominated for a subject in a 360 cycle, with approval';
CREATE UNIQUE INDEX feedback_360_nominations_cycle_subject_nominee_key ON feedback_360_nominations (tenant_id, cycle_id, subject_id, nominee_id);
COMMENT ON INDEX feedback_360_nominations_cycle_subject_nominee_key IS 'one nomination per rater per subject per cycle; the rater list of a subject; also FK cycle_id -> feedback_360_cycles';
CREATE INDEX feedback_360_nominations_subject_idx ON feedback_360_nominations (tenant_id, subject_id);
COMMENT ON INDEX feedback_360_nominations_subject_idx IS 'nominations about a person across cycles; also FK subject_id -> users';
CREATE INDEX feedback_360_nominations_nominee_idx ON feedback_360_nominations (tenant_id, nominee_id, status);
COMMENT ON INDEX feedback_360_nominations_nominee_idx IS 'nominations waiting for a rater to accept; also FK nominee_id -> users';
CREATE INDEX feedback_360_nominations_nominated_by_fk_idx ON feedback_360_nominations (tenant_id, nominated_by) WHERE nominated_by IS NOT NULL;
COMMENT ON INDEX feedback_360_nominations_nominated_by_fk_idx IS 'FK nominated_by -> users: the feedback 360 nominations of one user, and the lookup behind ON DELETE of a user row';

CREATE TABLE feedback_360_requests (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    cycle_id uuid NOT NULL,
    nomination_id uuid,
    subject_id uuid NOT NULL,
    rater_id uuid NOT NULL,
    status text NOT NULL DEFAULT 'SENT' CHECK (status IN ('SENT', 'OPENED', 'SUBMITTED', 'DECLINED', 'EXPIRED')),
    sent_at timestamptz NOT NULL DEFAULT now(),
    due_at timestamptz,
    submitted_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, cycle_id) REFERENCES feedback_360_cycles (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, nomination_id) REFERENCES feedback_360_nominations (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, subject_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, rater_id) REFERENCES users (tenant_id, id)
);
COMMENT ON TABLE feedback_360_requests IS '[feedback_360] A request sent to a rater to answer about a subject';
CREATE INDEX feedback_360_requests_rater_open_idx ON feedback_360_requests (tenant_id, rater_id, due_at) WHERE status IN ('SENT', 'OPENED');
COMMENT ON INDEX feedback_360_requests_rater_open_idx IS 'my outstanding 360 requests by due time; also FK rater_id -> users';
CREATE INDEX feedback_360_requests_cycle_subject_idx ON feedback_360_requests (tenant_id, cycle_id, subject_id, status);
COMMENT ON INDEX feedback_360_requests_cycle_subject_idx IS 'response rate per subject in a cycle; also FK cycle_id -> feedback_360_cycles';
CREATE INDEX feedback_360_requests_nomination_fk_idx ON feedback_360_requests (tenant_id, nomination_id) WHERE nomination_id IS NOT NULL;
COMMENT ON INDEX feedback_360_requests_nomination_fk_idx IS 'FK nomination_id -> feedback_360_nominations: the feedback 360 requests of one feedback 360 nomination, and the lookup behind ON DELETE of a feedback 360 nomination row';
CREATE INDEX feedback_360_requests_subject_fk_idx ON feedback_360_requests (tenant_id, subject_id);
COMMENT ON INDEX feedback_360_requests_subject_fk_idx IS 'FK subject_id -> users: the feedback 360 requests of one user, and the lookup behind ON DELETE of a user row';

CREATE TABLE feedback_360_responses (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    request_id uuid NOT NULL,
    question_id uuid NOT NULL,
    rating smallint CHECK (rating BETWEEN 1 AND 5),
    answer_text text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (rating IS NOT NULL OR answer_text IS NOT NULL),
    FOREIGN KEY (tenant_id, request_id) REFERENCES feedback_360_requests (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, question_id) REFERENCES feedback_360_questions (tenant_id, id)
);
COMMENT ON TABLE feedback_360_responses IS '[feedback_360] An answer to one question of a 360 request';
CREATE UNIQUE INDEX feedback_360_responses_request_question_key ON feedback_360_responses (tenant_id, request_id, question_id);
COMMENT ON INDEX feedback_360_responses_request_question_key IS 'one answer per question per request; also FK request_id -> feedback_360_requests';
CREATE INDEX feedback_360_responses_question_idx ON feedback_360_responses (tenant_id, question_id) INCLUDE (rating);
COMMENT ON INDEX feedback_360_responses_question_idx IS 'ratings for one question, for aggregation; also FK question_id -> feedback_360_questions';

CREATE TABLE feedback_360_aggregations (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    cycle_id uuid NOT NULL,
    subject_id uuid NOT NULL,
    competency_id uuid,
    relationship text NOT NULL DEFAULT 'MANAGER' CHECK (relationship IN ('MANAGER', 'PEER', 'DIRECT_REPORT', 'SELF', 'EXTERNAL', 'OTHER', 'ALL')),
    respondent_count smallint NOT NULL CHECK (respondent_count >= 0),
    average_rating numeric(4, 2),
    is_suppressed boolean NOT NULL DEFAULT false,
    computed_at timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (is_suppressed OR average_rating IS NOT NULL OR respondent_count = 0),
    FOREIGN KEY (tenant_id, cycle_id) REFERENCES feedback_360_cycles (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, subject_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, competency_id) REFERENCES competencies (tenant_id, id) ON DELETE SET NULL (competency_id)
);
COMMENT ON TABLE feedback_360_aggregations IS '[feedback_360] Aggregated 360 results per subject, relationship and competency; hidden below the respondent threshold';
CREATE UNIQUE INDEX feedback_360_aggregations_subject_key ON feedback_360_aggregations (tenant_id, cycle_id, subject_id, relationship, competency_id) NULLS NOT DISTINCT;
COMMENT ON INDEX feedback_360_aggregations_subject_key IS 'the 360 report of one subject in a cycle; also FK cycle_id -> feedback_360_cycles';
CREATE INDEX feedback_360_aggregations_subject_idx ON feedback_360_aggregations (tenant_id, subject_id);
COMMENT ON INDEX feedback_360_aggregations_subject_idx IS 'a person''s 360 results across cycles; also FK subject_id -> users';
CREATE INDEX feedback_360_aggregations_competency_fk_idx ON feedback_360_aggregations (tenant_id, competency_id) WHERE competency_id IS NOT NULL;
COMMENT ON INDEX feedback_360_aggregations_competency_fk_idx IS 'FK competency_id -> competencies: the feedback 360 aggregations of one competency, and the lookup behind ON DELETE of a competency row';

CREATE TABLE feedback_360_gap_analyses (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    cycle_id uuid NOT NULL,
    subject_id uuid NOT NULL,
    competency_id uuid NOT NULL,
    self_rating numeric(4, 2),
    others_rating numeric(4, 2),
    gap numeric(4, 2) GENERATED ALWAYS AS (self_rating - others_rating) STORED,
    classification text CHECK (classification IN ('BLIND_SPOT', 'HIDDEN_STRENGTH', 'ALIGNED')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, cycle_id) REFERENCES feedback_360_cycles (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, subject_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, competency_id) REFERENCES competencies (tenant_id, id)
);
COMMENT ON TABLE feedback_360_gap_analyses IS '[feedback_360] Self versus others: the gap per competency for a subject';
CREATE UNIQUE INDEX feedback_360_gap_analyses_subject_competency_key ON feedback_360_gap_analyses (tenant_id, cycle_id, subject_id, competency_id);
COMMENT ON INDEX feedback_360_gap_analyses_subject_competency_key IS 'gap report of a subject in a cycle; also FK cycle_id -> feedback_360_cycles';
CREATE INDEX feedback_360_gap_analyses_subject_idx ON feedback_360_gap_analyses (tenant_id, subject_id);
COMMENT ON INDEX feedback_360_gap_analyses_subject_idx IS 'a person''s gap analyses across cycles; also FK subject_id -> users';
CREATE INDEX feedback_360_gap_analyses_blind_spot_idx ON feedback_360_gap_analyses (tenant_id, competency_id, gap DESC) WHERE classification = 'BLIND_SPOT';
COMMENT ON INDEX feedback_360_gap_analyses_blind_spot_idx IS 'largest blind spots per competency (coaching focus); also FK competency_id -> competencies';

SELECT pms_meta.enable_tenant_rls(t), pms_meta.add_updated_at_trigger(t)
FROM unnest(ARRAY['feedback_360_questionnaires',
                  'feedback_360_questions',
                  'feedback_360_cycles',
                  'feedback_360_nominations',
                  'feedback_360_requests',
                  'feedback_360_responses',
                  'feedback_360_aggregations',
                  'feedback_360_gap_analyses']::regclass[]) AS t;
