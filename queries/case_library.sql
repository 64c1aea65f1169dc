-- case_library: the case library 案例库: every case of the pilots in view with its stage on the
-- as-of date (case_stages: draft, evaluated, recommended, adopted), its pilot, its standard level
-- and its adoptions by then (adopting_provinces: province codes); narrowed by case kind and by
-- stage. Furthest stage first, then the most adopted. Stable: the Cases page and exports read it.
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $city        VARCHAR[]  city codes (4 digits)
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
--   $case_kind   VARCHAR[]  case kinds: mechanism, technology, model, standard
--   $maturity    VARCHAR[]  stages on the as-of date: draft, evaluated, recommended, adopted
-- columns: case_id, title, kind, maturity, stage, recommended_on, standard_level, adoptions, adopting_provinces, project_id, name_zh, name_en, belt, province_code, province_zh, province_en, city_code, domain, phase, status
SELECT cs.case_id, cs.title, cs.kind, cs.maturity, cs.stage, cs.recommended_on, cs.standard_level, cs.adoptions,
       cs.adopting_provinces, fp.project_id, fp.name_zh, fp.name_en, fp.belt, fp.province_code, fp.province_zh,
       fp.province_en, fp.city_code, fp.domain, fp.phase, fp.status
FROM case_stages($as_of) cs
JOIN filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
  ON fp.project_id = cs.project_id
WHERE ($case_kind IS NULL OR list_contains($case_kind::VARCHAR[], cs.kind))
  AND ($maturity IS NULL OR list_contains($maturity::VARCHAR[], cs.stage))
ORDER BY stage_no(cs.stage) DESC, cs.adoptions DESC, cs.case_id;
