using System.Diagnostics.CodeAnalysis;
using System.Text;
using Aero.Flights;
using Aero.Streams.Reference;
using Aero.Warehouse;
using Akka.Actor;

namespace Aero.Streams.Transform;

/// <summary>
/// The per-record transform, pure apart from its counters: a decoded flight record becomes a <see cref="ProcessedFlight"/>
/// (delays, delay category, duration, the event time's date, hour and day of week in UTC, route, the airports'
/// reference data, a great-circle distance where the source gives none), or a reason why it cannot be one. The load
/// applies it between decoding and batching, so the row, its processed row and its offsets share one transaction.
/// </summary>
public sealed class FlightTransform
{
    /// <summary>What the reason of a record the transform could not transform starts with.</summary>
    public const string ReasonPrefix = "untransformable flight record: ";

    private readonly AirportCatalog _airports;

    public FlightTransform(TransformSettings settings, AirportCatalog airports)
    {
        Settings = settings;
        _airports = airports;
    }

    public TransformSettings Settings { get; }

    /// <summary>The transform of these settings, with their airports file read.</summary>
    public static FlightTransform Create(TransformSettings settings) => new(settings, AirportCatalog.Load(settings.ResolvedAirports()));

    /// <summary>The transform the actor system's configuration describes.</summary>
    public static FlightTransform Create(ActorSystem system) => Create(TransformSettings.Create(system));

    /// <summary>A row with its processed flight, or a dead letter saying why it has none; dead letters pass unchanged.</summary>
    public LoadRecord Apply(LoadRecord record, DateTime processedAt)
    {
        if (record is not LoadRow row)
        {
            return record;
        }

        if (TryTransform(row.Flight, processedAt, out var processed, out var reason))
        {
            return row with { Processed = processed };
        }

        TransformMetrics.DeadLetters.Add(1);
        return new DeadLetter(Encoding.UTF8.GetBytes(row.RawJson), ReasonPrefix + reason, row.Position);
    }

    public bool TryTransform(FlightRecord flight, DateTime processedAt, [NotNullWhen(true)] out ProcessedFlight? processed, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(flight);
        processed = null;
        if (!TryFindAirport(flight.Origin, "origin", out var origin, out reason) || !TryFindAirport(flight.Destination, "destination", out var destination, out reason))
        {
            return false;
        }

        var duration = Minutes(flight.ActualDeparture, flight.ActualArrival) ?? Minutes(flight.ScheduledDeparture, flight.ScheduledArrival);
        if (duration < 0)
        {
            // UTC times: an arrival before its departure is a record whose times are wrong, and so are its delays.
            reason = FormattableString.Invariant($"arrival before departure ({duration:0.#} minutes)");
            return false;
        }

        var departureDelay = Minutes(flight.ScheduledDeparture, flight.ActualDeparture) ?? flight.Delay;
        var eventTime = Utc(flight.Timestamp);
        var (distance, distanceOrigin) = Distance(flight.Distance, origin, destination);
        processed = new ProcessedFlight
        {
            EventId = flight.EventId,
            FlightId = flight.FlightId,
            EventTime = eventTime,
            Airline = flight.Airline,
            AirlineName = flight.AirlineName,
            FlightNumber = flight.FlightNumber,
            Origin = flight.Origin,
            Destination = flight.Destination,
            ScheduledDeparture = flight.ScheduledDeparture,
            ActualDeparture = flight.ActualDeparture,
            ScheduledArrival = flight.ScheduledArrival,
            ActualArrival = flight.ActualArrival,
            DepartureDelayMinutes = departureDelay,
            ArrivalDelayMinutes = Minutes(flight.ScheduledArrival, flight.ActualArrival),
            DelayCategory = departureDelay is { } delay ? Settings.DelayCategories.Categorize(delay) : null,
            FlightDurationMinutes = duration,
            EventDate = DateOnly.FromDateTime(eventTime),
            EventHour = eventTime.Hour,
            // ISO 8601: Monday 1 ... Sunday 7.
            EventDayOfWeek = eventTime.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)eventTime.DayOfWeek,
            Route = $"{flight.Origin ?? "?"}-{flight.Destination ?? "?"}",
            OriginName = origin?.Name,
            OriginCity = origin?.City,
            OriginState = origin?.State,
            OriginLatitude = origin?.Latitude,
            OriginLongitude = origin?.Longitude,
            DestinationName = destination?.Name,
            DestinationCity = destination?.City,
            DestinationState = destination?.State,
            DestinationLatitude = destination?.Latitude,
            DestinationLongitude = destination?.Longitude,
            DistanceMiles = distance,
            DistanceOrigin = distanceOrigin,
            Source = flight.Source,
            ProcessedAt = Utc(processedAt),
        };
        return true;
    }

    /// <summary>
    /// The airport a code names; no airport, and no failure, for a record that names none. A code the reference lacks is
    /// a failure only under <see cref="UnknownAirportPolicy.DeadLetter"/>; it is counted either way.
    /// </summary>
    private bool TryFindAirport(string? code, string role, out Airport? airport, [NotNullWhen(false)] out string? reason)
    {
        reason = null;
        airport = _airports.Find(code);
        if (airport is not null || string.IsNullOrEmpty(code))
        {
            return true;
        }

        var policy = Settings.UnknownAirport;
        TransformMetrics.UnknownAirports.Add(1, new("role", role), new("policy", policy == UnknownAirportPolicy.Keep ? "keep" : "dead-letter"));
        if (policy == UnknownAirportPolicy.Keep)
        {
            return true;
        }

        reason = $"unknown {role} airport \"{code}\" (not in the airports reference, aero.transform.unknown-airport = dead-letter)";
        return false;
    }

    private static (double? Miles, string? Origin) Distance(double? source, Airport? origin, Airport? destination) =>
        source is { } miles ? (miles, "source")
        : origin is not null && destination is not null ? (GreatCircle.Miles(origin.Latitude, origin.Longitude, destination.Latitude, destination.Longitude), "great-circle")
        : (null, null);

    private static double? Minutes(DateTime? from, DateTime? to) =>
        from is { } start && to is { } end ? (Utc(end) - Utc(start)).TotalMinutes : null;

    /// <summary>The record's times are UTC instants, whether or not the JSON said so.</summary>
    private static DateTime Utc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Utc => time,
        DateTimeKind.Local => time.ToUniversalTime(),
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
    };
}
