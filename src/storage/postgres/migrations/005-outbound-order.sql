-- The send job drains one recipient's pending messages in the order they were made (id order): this index finds
-- the next one, and the recipients with messages waiting too long, without reading sent messages.
CREATE INDEX outbound_pending_recipient ON outbound_messages (channel, address_hash, id) WHERE status = 'pending';
