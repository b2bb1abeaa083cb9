DROP INDEX `call_logs_request_id_idx`;--> statement-breakpoint
CREATE INDEX `call_logs_consumer_seq_idx` ON `call_logs` (`consumer_id`,`seq`);--> statement-breakpoint
CREATE INDEX `call_logs_request_id_idx` ON `call_logs` (`request_id`);