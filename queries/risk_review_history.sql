-- risk_review_history: one risk's history 风险复盘记录 up to the as-of date: its identification (the
-- risk row, its first review) and every review after, oldest first, with the score and level of
-- each and the change of score since the one before (positive: the risk rose).
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $risk        VARCHAR    the risk id
-- columns: risk_id, reviewed_on, first, probability, impact, score, level, status, strategy, note, change
SELECT h.risk_id, h.reviewed_on, h.first, h.probability, h.impact, h.probability * h.impact AS score,
       risk_level(h.probability * h.impact) AS level, h.status, h.strategy, h.note,
       h.probability * h.impact - lag(h.probability * h.impact) OVER (ORDER BY h.reviewed_on NULLS FIRST, NOT h.first) AS change
FROM risk_history() h
JOIN risks r ON r.risk_id = h.risk_id
WHERE h.risk_id = $risk AND (h.reviewed_on IS NULL OR h.reviewed_on <= $as_of)
ORDER BY h.reviewed_on NULLS FIRST, NOT h.first;
