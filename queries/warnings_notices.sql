-- warnings_notices: notices of new and escalated warnings, with what a message needs (the
-- warning, its pilot, the subscriber's language and channel), oldest first. Webhook addresses and
-- secrets are never listed here (a WeCom or Feishu address is itself a key).
-- params:
--   $pending      VARCHAR    'yes': pending ones only (NULL: every state)
-- columns: notice_id, warning_id, subscription_id, channel, event, notice_level, status, attempts, next_attempt_at, last_error, created_at, sent_at, sub_name, lang, email, webhook_kind, project_id, name_zh, name_en, belt, province_code, condition, trigger_kind, trigger_id, level, detail, raised_on, respond_by, owner, state
SELECT n.notice_id, n.warning_id, n.subscription_id, n.channel, n.event, n.level AS notice_level, n.status,
       n.attempts, n.next_attempt_at, n.last_error, n.created_at, n.sent_at,
       s.name AS sub_name, s.lang, s.email, s.webhook_kind,
       w.project_id, w.name_zh, w.name_en, w.belt, w.province_code, w.condition, w.trigger_kind, w.trigger_id,
       w.level, w.detail, w.raised_on, w.respond_by, w.owner, w.state
FROM warning_notices n
JOIN warning_subscriptions s ON s.subscription_id = n.subscription_id
JOIN warning_view() w ON w.warning_id = n.warning_id
WHERE ($pending IS NULL OR n.status = 'pending')
ORDER BY n.notice_id
