CREATE TABLE `deployments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`model_name` text NOT NULL,
	`provider_id` text NOT NULL,
	`upstream_model` text NOT NULL,
	`weight` integer DEFAULT 1 NOT NULL,
	`priority` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`model_name`) REFERENCES `models`(`name`) ON UPDATE cascade ON DELETE cascade,
	FOREIGN KEY (`provider_id`) REFERENCES `providers`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `deployments_model_idx` ON `deployments` (`model_name`);--> statement-breakpoint
CREATE UNIQUE INDEX `deployments_unique_idx` ON `deployments` (`model_name`,`provider_id`,`upstream_model`);--> statement-breakpoint
CREATE TABLE `models` (
	`name` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`status` text DEFAULT 'enabled' NOT NULL,
	`input_price` real,
	`output_price` real,
	`cached_input_price` real,
	`drop_params` text DEFAULT '[]' NOT NULL,
	`source` text DEFAULT 'api' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `providers` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`base_url` text,
	`credential` text,
	`options` text,
	`source` text DEFAULT 'api' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `providers_name_unique` ON `providers` (`name`);