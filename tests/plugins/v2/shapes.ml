let double p = Geom.add p p

let total () = !Geom.counter + Geom.Sub.w
