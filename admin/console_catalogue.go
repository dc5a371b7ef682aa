package admin

// catalogueViews are the templates of this area of the console.
var catalogueViews = []string{}

// cataloguePages are this area's pages of the console.
func (s *Server) cataloguePages() []route {
	return nil
}
