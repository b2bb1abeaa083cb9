CREATE TABLE `admin_users` (
	`username` text PRIMARY KEY NOT NULL,
	`password_hash` text NOT NULL,
	`role` text NOT NULL,
	`tenant_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`consumer_id` text NOT NULL,
	`name` text,
	`prefix` text NOT NULL,
	`hash` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`expires_at` integer,
	`scopes` text NOT NULL,
	`allowed_models` text,
	`allowed_ips` text,
	`rpm` integer,
	`tpm` integer,
	`budget_usd` real,
	`revoked_at` integer,
	`last_used_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`consumer_id`) REFERENCES `consumers`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash_unique` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE INDEX `api_keys_consumer_idx` ON `api_keys` (`consumer_id`);--> statement-breakpoint
CREATE TABLE `call_logs` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`tenant_id` text,
	`consumer_id` text,
	`key_id` text,
	`endpoint` text NOT NULL,
	`requested_model` text,
	`provider` text,
	`upstream_model` text,
	`stream` integer DEFAULT false NOT NULL,
	`status_code` integer NOT NULL,
	`outcome` text NOT NULL,
	`error_code` text,
	`layer` text,
	`decision_trace` text,
	`client_ip` text,
	`user_agent` text,
	`latency_ms` real NOT NULL,
	`upstream_latency_ms` real,
	`ttft_ms` real,
	`prompt_tokens` integer,
	`completion_tokens` integer,
	`cached_tokens` integer,
	`reasoning_tokens` integer,
	`tokens_estimated` integer DEFAULT false NOT NULL,
	`cost_usd` real,
	`attempts` integer DEFAULT 0 NOT NULL,
	`sampled_count` integer DEFAULT 1 NOT NULL,
	`request_body` text,
	`response_body` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `call_logs_request_id_idx` ON `call_logs` (`request_id`);--> statement-breakpoint
CREATE INDEX `call_logs_created_idx` ON `call_logs` (`created_at`);--> statement-breakpoint
CREATE INDEX `call_logs_tenant_seq_idx` ON `call_logs` (`tenant_id`,`seq`);--> statement-breakpoint
CREATE INDEX `call_logs_key_seq_idx` ON `call_logs` (`key_id`,`seq`);--> statement-breakpoint
CREATE INDEX `call_logs_model_seq_idx` ON `call_logs` (`requested_model`,`seq`);--> statement-breakpoint
CREATE INDEX `call_logs_outcome_seq_idx` ON `call_logs` (`outcome`,`seq`);--> statement-breakpoint
CREATE TABLE `consumers` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `consumers_tenant_name_idx` ON `consumers` (`tenant_id`,`name`);--> statement-breakpoint
CREATE TABLE `service_models` (
	`service_id` text NOT NULL,
	`model_name` text NOT NULL,
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`model_name`) REFERENCES `models`(`name`) ON UPDATE cascade ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `service_models_pk` ON `service_models` (`service_id`,`model_name`);--> statement-breakpoint
CREATE TABLE `services` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`approval` text DEFAULT 'manual' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `services_name_unique` ON `services` (`name`);--> statement-breakpoint
CREATE TABLE `subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`consumer_id` text NOT NULL,
	`service_id` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`requested_at` integer NOT NULL,
	`requested_by` text,
	`decided_at` integer,
	`decided_by` text,
	FOREIGN KEY (`consumer_id`) REFERENCES `consumers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `subscriptions_consumer_idx` ON `subscriptions` (`consumer_id`);--> statement-breakpoint
CREATE INDEX `subscriptions_status_idx` ON `subscriptions` (`status`);--> statement-breakpoint
CREATE TABLE `tenants` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`allowed_models` text,
	`allowed_ips` text,
	`rpm` integer,
	`tpm` integer,
	`monthly_budget_usd` real,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tenants_name_unique` ON `tenants` (`name`);