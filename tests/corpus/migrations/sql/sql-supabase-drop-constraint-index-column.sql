-- The id (uuid) field will serve as the public client_id
alter table {{ index .Options "Namespace" }}.oauth_clients
    drop constraint if exists oauth_clients_client_id_key;

drop index if exists {{ index .Options "Namespace" }}.oauth_clients_client_id_idx;

alter table {{ index .Options "Namespace" }}.oauth_clients
    drop column if exists client_id;
