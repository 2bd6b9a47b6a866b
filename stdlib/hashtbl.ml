(* hashtbl.ml — module Hashtbl: generic hash tables, as OCaml 4.13's
   stdlib/hashtbl.ml (not randomized; buckets as association lists, newest
   binding first; the table doubles when it holds twice as many bindings
   as buckets). Hashing is OCaml's (runtime/hash.c). No functors. *)

include (struct

type ('a, 'b) t =
  { mutable size : int;
    mutable data : ('a * 'b) list array;
    mutable initial_size : int }

external seeded_hash_param :
  int -> int -> int -> 'a -> int = "nml_hashtbl_hash"

let hash x = seeded_hash_param 10 100 0 x
let hash_param n1 n2 x = seeded_hash_param n1 n2 0 x
let seeded_hash seed x = seeded_hash_param 10 100 seed x

let rec power_2_above x n =
  if x >= n then x
  else if x * 2 > Sys.max_array_length then x
  else power_2_above (x * 2) n

let create n =
  let s = power_2_above 16 n in
  { initial_size = s; size = 0; data = Array.make s [] }

let clear h =
  if h.size > 0 then begin
    h.size <- 0;
    Array.fill h.data 0 (Array.length h.data) []
  end

let reset h =
  if Array.length h.data = h.initial_size then clear h
  else begin
    h.size <- 0;
    h.data <- Array.make h.initial_size []
  end

let copy h = { size = h.size; data = Array.copy h.data; initial_size = h.initial_size }

let length h = h.size

let key_index h key = hash key land (Array.length h.data - 1)

(* Doubles the bucket array, keeping the order of each bucket. *)
let resize h =
  let odata = h.data in
  let nsize = Array.length odata * 2 in
  if nsize < Sys.max_array_length then begin
    let ndata = Array.make nsize [] in
    h.data <- ndata;
    for i = Array.length odata - 1 downto 0 do
      List.iter (fun (k, v) ->
          let j = key_index h k in
          ndata.(j) <- (k, v) :: ndata.(j))
        (List.rev odata.(i))
    done
  end

let add h key data =
  let i = key_index h key in
  h.data.(i) <- (key, data) :: h.data.(i);
  h.size <- h.size + 1;
  if h.size > Array.length h.data lsl 1 then resize h

let rec remove_bucket key = function
  | [] -> raise Not_found
  | (k, _) :: rest when compare k key = 0 -> rest
  | b :: rest -> b :: remove_bucket key rest

let remove h key =
  let i = key_index h key in
  match remove_bucket key h.data.(i) with
  | b -> h.data.(i) <- b; h.size <- h.size - 1
  | exception Not_found -> ()

let rec find_rec key = function
  | [] -> raise Not_found
  | (k, d) :: rest -> if compare key k = 0 then d else find_rec key rest

let find h key = find_rec key h.data.(key_index h key)

let rec find_rec_opt key = function
  | [] -> None
  | (k, d) :: rest -> if compare key k = 0 then Some d else find_rec_opt key rest

let find_opt h key = find_rec_opt key h.data.(key_index h key)

let find_all h key =
  let rec find_in_bucket = function
    | [] -> []
    | (k, d) :: rest ->
      if compare k key = 0 then d :: find_in_bucket rest else find_in_bucket rest in
  find_in_bucket h.data.(key_index h key)

let rec replace_bucket key data = function
  | [] -> raise Not_found
  | (k, _) :: rest when compare k key = 0 -> (key, data) :: rest
  | b :: rest -> b :: replace_bucket key data rest

let replace h key data =
  let i = key_index h key in
  match replace_bucket key data h.data.(i) with
  | b -> h.data.(i) <- b
  | exception Not_found ->
    h.data.(i) <- (key, data) :: h.data.(i);
    h.size <- h.size + 1;
    if h.size > Array.length h.data lsl 1 then resize h

let mem h key =
  let rec mem_in_bucket = function
    | [] -> false
    | (k, _) :: rest -> compare k key = 0 || mem_in_bucket rest in
  mem_in_bucket h.data.(key_index h key)

let iter f h =
  let d = h.data in
  for i = 0 to Array.length d - 1 do
    List.iter (fun (k, v) -> f k v) d.(i)
  done

let fold f h init =
  let d = h.data in
  let accu = ref init in
  for i = 0 to Array.length d - 1 do
    List.iter (fun (k, v) -> accu := f k v !accu) d.(i)
  done;
  !accu

let filter_map_inplace f h =
  let d = h.data in
  for i = 0 to Array.length d - 1 do
    d.(i) <- List.fold_right (fun (k, v) acc ->
        match f k v with
        | None -> h.size <- h.size - 1; acc
        | Some v' -> (k, v') :: acc) d.(i) []
  done

let to_seq tbl =
  let tbl_data = tbl.data in
  let rec aux i buck () = match buck with
    | [] ->
      if i = Array.length tbl_data then Seq.Nil
      else aux (i + 1) tbl_data.(i) ()
    | (key, data) :: next -> Seq.Cons ((key, data), aux i next)
  in
  aux 0 []

let to_seq_keys m = Seq.map fst (to_seq m)
let to_seq_values m = Seq.map snd (to_seq m)
let add_seq tbl i = Seq.iter (fun (k, v) -> add tbl k v) i
let replace_seq tbl i = Seq.iter (fun (k, v) -> replace tbl k v) i
let of_seq i =
  let tbl = create 16 in
  replace_seq tbl i;
  tbl

end : sig
type ('a, 'b) t
val create : int -> ('a, 'b) t
val clear : ('a, 'b) t -> unit
val reset : ('a, 'b) t -> unit
val copy : ('a, 'b) t -> ('a, 'b) t
val add : ('a, 'b) t -> 'a -> 'b -> unit
val find : ('a, 'b) t -> 'a -> 'b
val find_opt : ('a, 'b) t -> 'a -> 'b option
val find_all : ('a, 'b) t -> 'a -> 'b list
val mem : ('a, 'b) t -> 'a -> bool
val remove : ('a, 'b) t -> 'a -> unit
val replace : ('a, 'b) t -> 'a -> 'b -> unit
val iter : ('a -> 'b -> unit) -> ('a, 'b) t -> unit
val filter_map_inplace : ('a -> 'b -> 'b option) -> ('a, 'b) t -> unit
val fold : ('a -> 'b -> 'c -> 'c) -> ('a, 'b) t -> 'c -> 'c
val length : ('a, 'b) t -> int
val to_seq : ('a, 'b) t -> ('a * 'b) Seq.t
val to_seq_keys : ('a, 'b) t -> 'a Seq.t
val to_seq_values : ('a, 'b) t -> 'b Seq.t
val add_seq : ('a, 'b) t -> ('a * 'b) Seq.t -> unit
val replace_seq : ('a, 'b) t -> ('a * 'b) Seq.t -> unit
val of_seq : ('a * 'b) Seq.t -> ('a, 'b) t
val hash : 'a -> int
val seeded_hash : int -> 'a -> int
val hash_param : int -> int -> 'a -> int
end)
